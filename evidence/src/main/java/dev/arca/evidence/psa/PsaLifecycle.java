// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

/**
 * A PSA security lifecycle value (RFC 9783 section 4.3.1; also the CCA platform lifecycle): the
 * major state is the high byte, the low byte is implementation defined. Only {@code secured} is a
 * state in which the device's claims can be relied on; the two debug states are debuggable.
 *
 * @param value the raw 16-bit claim value
 */
public record PsaLifecycle(int value) {

  /**
   * The state name: {@code unknown}, {@code assembly-and-test}, {@code psa-rot-provisioning},
   * {@code secured}, {@code non-psa-rot-debug}, {@code recoverable-psa-rot-debug}, {@code
   * decommissioned}, or {@code invalid}.
   */
  public String state() {
    return switch (value & 0xff00) {
      case 0x0000 -> "unknown";
      case 0x1000 -> "assembly-and-test";
      case 0x2000 -> "psa-rot-provisioning";
      case 0x3000 -> "secured";
      case 0x4000 -> "non-psa-rot-debug";
      case 0x5000 -> "recoverable-psa-rot-debug";
      case 0x6000 -> "decommissioned";
      default -> "invalid";
    };
  }

  /** True only in the {@code secured} state. */
  public boolean secured() {
    return (value & 0xff00) == 0x3000;
  }

  /** True in a state where debug is enabled. */
  public boolean debug() {
    int major = value & 0xff00;
    return major == 0x4000 || major == 0x5000;
  }
}
