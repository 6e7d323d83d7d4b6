// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The TD quote body: a TDX 1.0 TD report body (584 bytes) or a TDX 1.5 one (648 bytes, adding
 * TEE_TCB_SVN_2 and MRSERVICETD). Layout per Intel "TDX DCAP Quoting Library API", appendix A.3.2
 * and A.4. Immutable; arrays are copied on access.
 */
public final class TdReport {
  /** Size of a TDX 1.0 body. */
  public static final int SIZE_1_0 = 584;

  /** Size of a TDX 1.5 body. */
  public static final int SIZE_1_5 = 648;

  private final byte[] bytes;
  private final long tdAttributes;
  private final long seamAttributes;
  private final long xfam;

  private TdReport(byte[] bytes) throws EvidenceException {
    this.bytes = bytes;
    StructReader r = new StructReader(bytes, ByteOrder.LITTLE_ENDIAN, "tdx.quote");
    r.seek(16 + 48 + 48);
    seamAttributes = r.u64();
    tdAttributes = r.u64();
    xfam = r.u64();
  }

  static TdReport parse(byte[] body) throws EvidenceException {
    if (body.length != SIZE_1_0 && body.length != SIZE_1_5) {
      throw new EvidenceException(
          "tdx.quote.body-size-mismatch",
          "a TD report body has 584 or 648 bytes, not " + body.length);
    }
    return new TdReport(body.clone());
  }

  private byte[] slice(int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  /** True for a TDX 1.5 body. */
  public boolean isTdx15() {
    return bytes.length == SIZE_1_5;
  }

  public byte[] teeTcbSvn() {
    return slice(0, 16);
  }

  public byte[] mrSeam() {
    return slice(16, 48);
  }

  public byte[] mrSignerSeam() {
    return slice(64, 48);
  }

  public long seamAttributes() {
    return seamAttributes;
  }

  /** TD_ATTRIBUTES; bit 0 is DEBUG. */
  public long tdAttributes() {
    return tdAttributes;
  }

  public long xfam() {
    return xfam;
  }

  public byte[] mrTd() {
    return slice(136, 48);
  }

  public byte[] mrConfigId() {
    return slice(184, 48);
  }

  public byte[] mrOwner() {
    return slice(232, 48);
  }

  public byte[] mrOwnerConfig() {
    return slice(280, 48);
  }

  /** RTMR {@code index} (0..3). */
  public byte[] rtmr(int index) {
    if (index < 0 || index > 3) {
      throw new IllegalArgumentException("RTMR index is 0..3");
    }
    return slice(328 + 48 * index, 48);
  }

  public byte[] reportData() {
    return slice(520, 64);
  }

  /** TEE_TCB_SVN_2 (TDX 1.5), or null. */
  public byte[] teeTcbSvn2() {
    return isTdx15() ? slice(584, 16) : null;
  }

  /** MRSERVICETD (TDX 1.5), or null. */
  public byte[] mrServiceTd() {
    return isTdx15() ? slice(600, 48) : null;
  }

  /** True when the TD is debuggable (TD_ATTRIBUTES.DEBUG): the host can read its memory. */
  public boolean debug() {
    return (tdAttributes & 1) != 0;
  }
}
