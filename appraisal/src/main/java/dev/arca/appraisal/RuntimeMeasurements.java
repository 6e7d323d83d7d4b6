// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.evidence.ReportData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads a runtime's measurement log (lines {@code <hex sha256> <name>}, enclave-runtime's {@code
 * MeasurementLog}). The log is bound into the evidence's report data, so what it says is what the
 * attested runtime measured; on a TPM its entries are also extended into an application PCR.
 */
public final class RuntimeMeasurements {
  private static final String INSECURE = "insecure:";

  private RuntimeMeasurements() {}

  /**
   * The insecure findings the runtime recorded at start ({@code insecure:<id>} entries, e.g. a
   * debug agent allowed with {@code --insecure}); empty for a hardened runtime.
   */
  public static List<String> insecureFindings(byte[] measurementLog) {
    List<String> out = new ArrayList<>();
    for (String line : lines(measurementLog)) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith(INSECURE, space + 1)) {
        out.add(line.substring(space + 1 + INSECURE.length()));
      }
    }
    return out;
  }

  /**
   * The value of a SHA-256 PCR reset to zero and then extended with every entry's digest in order:
   * {@code H(...H(H(0^32 || e1) || e2)... || en)}. Empty when a line is not {@code <64 hex> <name>}
   * (such a log cannot have been extended as written).
   */
  public static Optional<byte[]> replayedPcr(byte[] measurementLog) {
    byte[] pcr = new byte[32];
    MessageDigest md = ReportData.sha256();
    for (String line : lines(measurementLog)) {
      int space = line.indexOf(' ');
      if (space != 64 || line.length() == 65) {
        return Optional.empty();
      }
      byte[] digest;
      try {
        digest = HexFormat.of().parseHex(line, 0, 64);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      md.update(pcr);
      md.update(digest);
      pcr = md.digest();
    }
    return Optional.of(pcr);
  }

  private static List<String> lines(byte[] measurementLog) {
    List<String> out = new ArrayList<>();
    for (String line : new String(measurementLog, StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }
}
