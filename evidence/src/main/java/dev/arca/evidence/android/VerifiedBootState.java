// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

/**
 * The verified boot state in a {@link RootOfTrust} (AOSP keystore attestation schema): {@code
 * Verified(0)} boot chain checked up to a key in hardware, {@code SelfSigned(1)} checked against a
 * user-installed key, {@code Unverified(2)} not checked (unlocked bootloader), {@code Failed(3)}
 * verification failed.
 */
public enum VerifiedBootState {
  VERIFIED("verified"),
  SELF_SIGNED("self-signed"),
  UNVERIFIED("unverified"),
  FAILED("failed");

  private final String claimName;

  VerifiedBootState(String claimName) {
    this.claimName = claimName;
  }

  /** Lower-case name used in claims and insecure flags. */
  public String claimName() {
    return claimName;
  }

  static VerifiedBootState of(int value) {
    return switch (value) {
      case 0 -> VERIFIED;
      case 1 -> SELF_SIGNED;
      case 2 -> UNVERIFIED;
      case 3 -> FAILED;
      default -> null;
    };
  }
}
