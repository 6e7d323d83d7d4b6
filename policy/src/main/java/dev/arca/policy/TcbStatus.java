// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

/**
 * Whether the platform's trusted computing base (firmware, microcode, TEE version) meets the
 * current reference values. Policies see it as the string {@link #celValue()} in {@code
 * evidence.tcbStatus}.
 */
public enum TcbStatus {
  /** Every TCB component is at or above the reference version. */
  UP_TO_DATE("up-to-date"),
  /** At least one component is below the reference version (e.g. a SEV-SNP or TDX TCB SVN). */
  OUT_OF_DATE("out-of-date"),
  /** The verifier could not tell (no reference values, or a format without TCB versions). */
  UNKNOWN("unknown");

  private final String celValue;

  TcbStatus(String celValue) {
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
  public static TcbStatus fromCelValue(String value) {
    for (TcbStatus s : values()) {
      if (s.celValue.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown TCB status '" + value + "'; expected up-to-date, out-of-date or unknown");
  }
}
