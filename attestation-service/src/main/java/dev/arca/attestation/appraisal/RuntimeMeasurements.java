package dev.arca.attestation.appraisal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a runtime's measurement log (lines {@code <hex sha256> <name>}, enclave-runtime's {@code
 * MeasurementLog}); the log is bound into the evidence's report data, so what it says is what the
 * attested runtime measured.
 */
final class RuntimeMeasurements {
  private static final String INSECURE = "insecure:";

  private RuntimeMeasurements() {}

  /**
   * The insecure findings the runtime recorded at start ({@code insecure:<id>} entries, e.g. a
   * debug agent allowed with {@code --insecure}); empty for a hardened runtime.
   */
  static List<String> insecureFindings(byte[] measurementLog) {
    List<String> out = new ArrayList<>();
    for (String line : new String(measurementLog, StandardCharsets.UTF_8).split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith(INSECURE, space + 1)) {
        out.add(line.substring(space + 1 + INSECURE.length()));
      }
    }
    return out;
  }
}
