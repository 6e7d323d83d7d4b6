// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.Trustworthiness;

/**
 * TCB statuses of Intel's TCB info and QE identity (Intel PCS API, "TCB info" v3 {@code
 * tcbStatus}), plus {@link #LEVEL_NOT_FOUND} when no level of the collateral covers the platform.
 * Each maps to an AR4SI {@code hardware} value: affirming only when up to date.
 */
public enum TcbStatus {
  UP_TO_DATE("UpToDate", Trustworthiness.AFFIRMING),
  SW_HARDENING_NEEDED("SWHardeningNeeded", Trustworthiness.WARNING),
  CONFIGURATION_NEEDED("ConfigurationNeeded", Trustworthiness.WARNING),
  CONFIGURATION_AND_SW_HARDENING_NEEDED(
      "ConfigurationAndSWHardeningNeeded", Trustworthiness.WARNING),
  OUT_OF_DATE("OutOfDate", Trustworthiness.WARNING + 1),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded", Trustworthiness.WARNING + 1),
  REVOKED("Revoked", Trustworthiness.CONTRAINDICATED),
  /** The platform's TCB is below every level the TCB info lists: Intel does not support it. */
  LEVEL_NOT_FOUND("TcbLevelNotFound", Trustworthiness.CONTRAINDICATED);

  private final String jsonName;
  private final int hardware;

  TcbStatus(String jsonName, int hardware) {
    this.jsonName = jsonName;
    this.hardware = hardware;
  }

  /** The name Intel's JSON uses. */
  public String jsonName() {
    return jsonName;
  }

  /** The AR4SI hardware value this status supports. */
  public int hardwareTrustworthiness() {
    return hardware;
  }

  /** The insecure-flag id for statuses other than up to date, e.g. {@code tdx.tcb.out-of-date}. */
  public String flagId(String prefix) {
    return prefix
        + "."
        + jsonName
            .replaceAll("([a-z])([A-Z])", "$1-$2")
            .replace("SWH", "sw-h")
            .toLowerCase(java.util.Locale.ROOT);
  }

  /** The status named {@code jsonName}, or null when unknown. */
  static TcbStatus of(String jsonName) {
    for (TcbStatus s : values()) {
      if (s.jsonName.equals(jsonName)) {
        return s;
      }
    }
    return null;
  }

  /** The worse of two statuses (by trustworthiness, then by declaration order). */
  static TcbStatus worse(TcbStatus a, TcbStatus b) {
    if (a.hardware != b.hardware) {
      return a.hardware > b.hardware ? a : b;
    }
    return a.compareTo(b) >= 0 ? a : b;
  }
}
