// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

/**
 * Where an Android key or its attestation lives (KeyDescription {@code SecurityLevel}, AOSP
 * keystore attestation schema): {@code Software(0)}, {@code TrustedEnvironment(1)}, {@code
 * StrongBox(2)}.
 */
public enum SecurityLevel {
  SOFTWARE("software"),
  TRUSTED_ENVIRONMENT("tee"),
  STRONG_BOX("strongbox");

  private final String claimName;

  SecurityLevel(String claimName) {
    this.claimName = claimName;
  }

  /** The normalized name used in {@link dev.arca.evidence.Claims#securityLevel()}. */
  public String claimName() {
    return claimName;
  }

  /** True for the levels backed by secure hardware (TEE or StrongBox). */
  public boolean isHardware() {
    return this != SOFTWARE;
  }

  static SecurityLevel of(int value) {
    return switch (value) {
      case 0 -> SOFTWARE;
      case 1 -> TRUSTED_ENVIRONMENT;
      case 2 -> STRONG_BOX;
      default -> null;
    };
  }
}
