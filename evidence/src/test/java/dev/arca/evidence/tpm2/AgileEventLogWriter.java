// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a crypto-agile TCG event log (PC Client Platform Firmware Profile §10.2.1, §10.2.2) with
 * one digest per bank, SHA-1 and SHA-256 unless told otherwise, for tests that extend the same
 * events into a real TPM or that need a log of given banks.
 */
// le() allocates every buffer here, so array() is exactly the buffer's content.
@SuppressWarnings("ByteBufferBackingArray")
final class AgileEventLogWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final int[] banks;

  /** A log with SHA-1 and SHA-256 digests. */
  AgileEventLogWriter() {
    this(TpmAlg.SHA1, TpmAlg.SHA256);
  }

  /** A log whose header lists, and whose events carry, digests of exactly {@code banks}. */
  AgileEventLogWriter(int... banks) {
    this.banks = banks.clone();
    // TCG_EfiSpecIDEvent inside a SHA-1-format TCG_PCR_EVENT (EV_NO_ACTION, PCR 0, zero digest).
    ByteBuffer spec = le(16 + 4 + 4 + 4 + 4 * banks.length + 1);
    spec.put("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII));
    spec.putInt(0); // platformClass
    spec.put((byte) 0).put((byte) 2).put((byte) 0).put((byte) 2); // minor, major, errata, uintn
    spec.putInt(banks.length);
    for (int bank : banks) {
      spec.putShort((short) bank).putShort((short) TpmAlg.digestSize(bank));
    }
    spec.put((byte) 0); // vendorInfoSize
    ByteBuffer header = le(4 + 4 + 20 + 4);
    header.putInt(0).putInt((int) TcgEvent.EV_NO_ACTION).put(new byte[20]).putInt(spec.capacity());
    out.writeBytes(header.array());
    out.writeBytes(spec.array());
  }

  /** Appends a TCG_PCR_EVENT2 whose digests are those of {@code data}, one per bank. */
  AgileEventLogWriter event(int pcr, long type, byte[] data) {
    int digests = 0;
    for (int bank : banks) {
      digests += 2 + TpmAlg.digestSize(bank);
    }
    ByteBuffer e = le(4 + 4 + 4 + digests + 4 + data.length);
    e.putInt(pcr).putInt((int) type).putInt(banks.length);
    for (int bank : banks) {
      e.putShort((short) bank).put(TpmAlg.hash(bank, data));
    }
    e.putInt(data.length).put(data);
    out.writeBytes(e.array());
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}
