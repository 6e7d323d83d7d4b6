// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.evidence.Claims;
import java.util.Set;

/**
 * The minimum a format's verified evidence must show before it is appraised further: what must be
 * measured, what the runtime's measurement log must replay to, and which registers an applicable
 * reference-value set must pin. Fail closed: a format without a profile of its own gets {@link
 * #hardware()} rules.
 */
public interface EvidenceProfile {

  /** The format this profile is for. */
  String format();

  /**
   * Whether the format is rooted in hardware. A hardware device to which no reference-value set
   * applies is refused ({@link Rejection#REFERENCE_MISSING}) unless the active policy allows the
   * format without one.
   */
  boolean hardware();

  /**
   * Registers (as in {@code Claims#measurements()}) that the applicable reference-value sets
   * together must pin; empty when any applicable set will do.
   */
  Set<String> requiredReferences();

  /**
   * Checks that {@code claims} carry what this format requires and that {@code measurementLog}
   * replays to what the evidence measured.
   *
   * @throws AppraisalException {@link Rejection#EVIDENCE_INCOMPLETE} or {@link
   *     Rejection#MEASUREMENT_LOG_MISMATCH}
   */
  void check(Claims claims, byte[] measurementLog) throws AppraisalException;

  /** A hardware format with nothing further required of its claims (SEV-SNP, TDX, Nitro, ...). */
  static EvidenceProfile hardware(String format) {
    return new Basic(format, true);
  }

  /**
   * A hardware format whose applicable reference-value sets together must pin {@code registers}
   * (Nitro: the enclave image's PCR0-2; CCA: the realm initial measurement).
   */
  static EvidenceProfile hardware(String format, Set<String> registers) {
    return new Pinning(format, Set.copyOf(registers));
  }

  /** A software attester ({@code dev}): proves no hardware, so needs no reference values. */
  static EvidenceProfile software(String format) {
    return new Basic(format, false);
  }

  /** A profile that asks nothing of the claims and pins no particular register. */
  record Basic(String format, boolean hardware) implements EvidenceProfile {
    @Override
    public Set<String> requiredReferences() {
      return Set.of();
    }

    @Override
    public void check(Claims claims, byte[] measurementLog) {}
  }

  /** A hardware profile that asks nothing of the claims but requires {@code requiredReferences}. */
  record Pinning(String format, Set<String> requiredReferences) implements EvidenceProfile {
    @Override
    public boolean hardware() {
      return true;
    }

    @Override
    public void check(Claims claims, byte[] measurementLog) {}
  }
}
