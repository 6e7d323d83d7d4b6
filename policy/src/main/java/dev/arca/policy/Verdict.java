// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

/** The answer of a decision. Anything but {@link #PERMIT} means the key is not released. */
public enum Verdict {
  /** At least one permit rule matched and no forbid rule matched (or failed). */
  PERMIT,
  /** A forbid rule matched or failed, or no permit rule matched (deny by default). */
  DENY;

  /** The spelling used in fixtures and reports: {@code permit} or {@code deny}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
