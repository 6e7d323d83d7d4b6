// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import java.util.Arrays;

/**
 * An SGX enclave report body (384 bytes; Intel SGX "REPORT BODY"), here the Quoting Enclave's
 * report inside a quote. Immutable; arrays are copied on access.
 */
public final class EnclaveReport {
  public static final int SIZE = 384;

  private final byte[] bytes;

  EnclaveReport(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("an enclave report has 384 bytes");
    }
    this.bytes = bytes.clone();
  }

  private byte[] slice(int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public byte[] cpuSvn() {
    return slice(0, 16);
  }

  /** MISCSELECT, as stored (4 bytes little-endian). */
  public byte[] miscSelect() {
    return slice(16, 4);
  }

  public byte[] attributes() {
    return slice(48, 16);
  }

  public byte[] mrEnclave() {
    return slice(64, 32);
  }

  public byte[] mrSigner() {
    return slice(128, 32);
  }

  public int isvProdId() {
    return (bytes[256] & 0xff) | (bytes[257] & 0xff) << 8;
  }

  public int isvSvn() {
    return (bytes[258] & 0xff) | (bytes[259] & 0xff) << 8;
  }

  public byte[] reportData() {
    return slice(320, 64);
  }
}
