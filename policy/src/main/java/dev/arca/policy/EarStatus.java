// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

/**
 * The overall appraisal status of an attestation result, as the {@code ear.status} trust tier of
 * draft-ietf-rats-ear (section 3.1) and the AR4SI trustworthiness tiers. Policies see it as the
 * string {@link #celValue()} in {@code evidence.earStatus}.
 */
public enum EarStatus {
  /** The verifier affirms the attester is trustworthy. */
  AFFIRMING("affirming"),
  /** The verifier found something that deserves attention but does not rule the attester out. */
  WARNING("warning"),
  /** The verifier found the attester not trustworthy. */
  CONTRAINDICATED("contraindicated"),
  /** The verifier makes no claim. */
  NONE("none");

  private final String celValue;

  EarStatus(String celValue) {
    this.celValue = celValue;
  }

  /** The string a policy condition compares against. */
  public String celValue() {
    return celValue;
  }

  /**
   * Returns the status with this CEL value.
   *
   * @throws IllegalArgumentException if {@code value} is not one of the {@link #celValue()} strings
   */
  public static EarStatus fromCelValue(String value) {
    for (EarStatus s : values()) {
      if (s.celValue.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown EAR status '" + value + "'; expected affirming, warning, contraindicated or none");
  }
}
