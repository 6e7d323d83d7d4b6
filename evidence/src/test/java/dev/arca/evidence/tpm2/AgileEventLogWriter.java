package dev.arca.evidence.tpm2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a crypto-agile TCG event log with SHA-1 and SHA-256 digests (PC Client Platform Firmware
 * Profile §10.2.1, §10.2.2), for tests that extend the same events into a real TPM.
 */
final class AgileEventLogWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  AgileEventLogWriter() {
    // TCG_EfiSpecIDEvent inside a SHA-1-format TCG_PCR_EVENT (EV_NO_ACTION, PCR 0, zero digest).
    ByteBuffer spec = le(16 + 4 + 4 + 4 + 2 * 4 + 1);
    spec.put("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII));
    spec.putInt(0); // platformClass
    spec.put((byte) 0).put((byte) 2).put((byte) 0).put((byte) 2); // minor, major, errata, uintn
    spec.putInt(2);
    spec.putShort((short) TpmAlg.SHA1).putShort((short) 20);
    spec.putShort((short) TpmAlg.SHA256).putShort((short) 32);
    spec.put((byte) 0); // vendorInfoSize
    ByteBuffer header = le(4 + 4 + 20 + 4);
    header.putInt(0).putInt((int) TcgEvent.EV_NO_ACTION).put(new byte[20]).putInt(spec.capacity());
    out.writeBytes(header.array());
    out.writeBytes(spec.array());
  }

  /** Appends a TCG_PCR_EVENT2 whose digests are SHA-1 and SHA-256 of {@code data}. */
  AgileEventLogWriter event(int pcr, long type, byte[] data) {
    ByteBuffer e = le(4 + 4 + 4 + 2 + 20 + 2 + 32 + 4 + data.length);
    e.putInt(pcr).putInt((int) type).putInt(2);
    e.putShort((short) TpmAlg.SHA1).put(TpmAlg.hash(TpmAlg.SHA1, data));
    e.putShort((short) TpmAlg.SHA256).put(TpmAlg.hash(TpmAlg.SHA256, data));
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
