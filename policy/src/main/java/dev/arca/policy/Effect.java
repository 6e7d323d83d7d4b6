// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

/** What a rule does when its condition holds. */
public enum Effect {
  /** Allows the request, unless a forbid rule also matches. */
  PERMIT,
  /** Denies the request, whatever else matches. */
  FORBID;

  /** The spelling used in policy documents: {@code permit} or {@code forbid}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
