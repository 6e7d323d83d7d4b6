// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON form of {@link Claims} used by the command line, the service and audit entries. */
public final class ClaimsJson {
  private ClaimsJson() {}

  /** Claims as an ordered map of JSON-friendly values. */
  public static Map<String, Object> toMap(Claims c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", c.format());
    m.put("hardwareRooted", c.hardwareRooted());
    m.put("deviceIdentity", c.deviceIdentity());
    m.put("securityLevel", c.securityLevel());
    m.put("debug", c.debug());
    m.put("insecureFlags", c.insecureFlags());
    m.put("reportData", c.reportDataHex());
    m.put("measurements", c.measurements());
    m.put("tcb", c.tcb());
    Map<String, Object> tv = new LinkedHashMap<>();
    c.trustworthiness().values().forEach((k, v) -> tv.put(k.jsonName(), v));
    m.put("trustworthiness", tv);
    m.put("raw", c.raw());
    return m;
  }
}
