// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.evidence.Claims;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code tpm2} minimum: the quote covers PCRs 0-7 (firmware, configuration, boot loader) and
 * the application PCR 23 in the SHA-256 bank; PCR 23 is exactly the replay of the runtime's
 * measurement log (the runtime resets it and extends every entry); and the applicable
 * reference-value sets together pin PCRs 0-7, so a box booted from another medium or with Secure
 * Boot off cannot pass by leaving PCRs or the event log out.
 */
public final class Tpm2Profile implements EvidenceProfile {
  /** The application PCR the runtime's measurement log is extended into. */
  public static final int APP_PCR = 23;

  /** PCRs the quote must cover, in the SHA-256 bank. */
  public static final List<Integer> REQUIRED_PCRS = List.of(0, 1, 2, 3, 4, 5, 6, 7, APP_PCR);

  private static final Set<String> BOOT_REFERENCES = bootReferences();

  @Override
  public String format() {
    return "tpm2";
  }

  @Override
  public boolean hardware() {
    return true;
  }

  @Override
  public Set<String> requiredReferences() {
    return BOOT_REFERENCES;
  }

  @Override
  public void check(Claims claims, byte[] measurementLog) throws AppraisalException {
    Map<String, String> measured = claims.measurements();
    List<Integer> missing = new ArrayList<>();
    for (int pcr : REQUIRED_PCRS) {
      if (!measured.containsKey(register(pcr))) {
        missing.add(pcr);
      }
    }
    if (!missing.isEmpty()) {
      throw new AppraisalException(
          Rejection.EVIDENCE_INCOMPLETE,
          "the TPM quote does not cover PCRs "
              + missing
              + " of the sha256 bank; a tpm2 quote must cover PCRs 0-7 and "
              + APP_PCR,
          Map.of("missingPcrs", missing));
    }
    Optional<byte[]> replayed = RuntimeMeasurements.replayedPcr(measurementLog);
    byte[] quoted = HexFormat.of().parseHex(measured.get(register(APP_PCR)));
    if (replayed.isEmpty() || !MessageDigest.isEqual(replayed.get(), quoted)) {
      throw new AppraisalException(
          Rejection.MEASUREMENT_LOG_MISMATCH,
          replayed.isEmpty()
              ? "the runtime's measurement log is malformed, so it cannot replay PCR " + APP_PCR
              : "the runtime's measurement log replays to "
                  + HexFormat.of().formatHex(replayed.get())
                  + " but the quote says PCR "
                  + APP_PCR
                  + " is "
                  + measured.get(register(APP_PCR)));
    }
  }

  /** The measurement name of a SHA-256 PCR, as {@code Tpm2Verifier} names it. */
  static String register(int pcr) {
    return "pcr.sha256." + pcr;
  }

  private static Set<String> bootReferences() {
    Set<String> s = new LinkedHashSet<>();
    for (int pcr = 0; pcr <= 7; pcr++) {
      s.add(register(pcr));
    }
    return Set.copyOf(s);
  }
}
