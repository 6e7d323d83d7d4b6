// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import dev.arca.evidence.EvidenceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bounds-checked reader for binary evidence structures. Every read that would pass the end fails
 * with {@code <prefix>.truncated}; a length field larger than its stated maximum fails with {@code
 * <prefix>.length-too-large} before anything is allocated.
 */
public final class StructReader {
  private final ByteBuffer buf;
  private final String prefix;

  /**
   * @param data the structure's bytes (not copied; do not modify while reading)
   * @param order byte order of multi-byte integers (TPM: big-endian; SEV-SNP, TDX: little)
   * @param prefix failure id prefix, e.g. {@code tpm2.attest}
   */
  public StructReader(byte[] data, ByteOrder order, String prefix) {
    this.buf = ByteBuffer.wrap(data).order(order);
    this.prefix = prefix;
  }

  public int position() {
    return buf.position();
  }

  public int remaining() {
    return buf.remaining();
  }

  /** Moves to an absolute offset. */
  public void seek(int offset) throws EvidenceException {
    if (offset < 0 || offset > buf.limit()) {
      throw truncated(offset - buf.position());
    }
    buf.position(offset);
  }

  public int u8() throws EvidenceException {
    need(1);
    return buf.get() & 0xff;
  }

  public int u16() throws EvidenceException {
    need(2);
    return buf.getShort() & 0xffff;
  }

  /** An unsigned 32-bit value as a long. */
  public long u32() throws EvidenceException {
    need(4);
    return buf.getInt() & 0xffffffffL;
  }

  /** A 64-bit value; callers treat it as unsigned where the spec says so. */
  public long u64() throws EvidenceException {
    need(8);
    return buf.getLong();
  }

  public byte[] bytes(int n) throws EvidenceException {
    if (n < 0) {
      throw new EvidenceException(prefix + ".length-too-large", "negative length " + n);
    }
    need(n);
    byte[] out = new byte[n];
    buf.get(out);
    return out;
  }

  public void skip(int n) throws EvidenceException {
    need(n);
    buf.position(buf.position() + n);
  }

  /** A 16-bit length followed by that many bytes (TPM2B), refusing lengths above {@code max}. */
  public byte[] sized16(int max, String what) throws EvidenceException {
    int n = u16();
    if (n > max) {
      throw new EvidenceException(
          prefix + ".length-too-large",
          what + " says " + n + " bytes; at most " + max + " allowed");
    }
    return bytes(n);
  }

  /**
   * Checks that every byte was read.
   *
   * @throws EvidenceException {@code <prefix>.trailing-bytes} when unread bytes remain
   */
  public void expectEnd(String what) throws EvidenceException {
    if (buf.hasRemaining()) {
      throw new EvidenceException(
          prefix + ".trailing-bytes", what + " has " + buf.remaining() + " unexpected extra bytes");
    }
  }

  private void need(int n) throws EvidenceException {
    if (buf.remaining() < n) {
      throw truncated(n);
    }
  }

  private EvidenceException truncated(int wanted) {
    return new EvidenceException(
        prefix + ".truncated",
        "structure ends at byte "
            + buf.limit()
            + " but "
            + wanted
            + " more bytes were expected at offset "
            + buf.position());
  }
}
