// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Failures;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An offline copy of Google's attestation certificate status list (the JSON served at {@code
 * https://android.googleapis.com/attestation/status}, documented under "Certificate revocation
 * status list" on developer.android.com): {@code {"entries": {"<serial hex>": {"status":
 * "REVOKED"|"SUSPENDED", "reason": "..."}}}}. Serial numbers are matched as lower-case hex without
 * leading zeros. Supplied as collateral file {@value #COLLATERAL_NAME}; Arca never fetches it.
 *
 * <p>Failure ids: {@code android.chain.revoked}, {@code android.chain.suspended}, {@code
 * android.status.malformed} (an unreadable list fails closed).
 */
public final class AttestationStatusList {
  /** Collateral file name of the status list. */
  public static final String COLLATERAL_NAME = "status.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One listed certificate. */
  public record Entry(String status, String reason) {}

  private final Map<String, Entry> entries;

  private AttestationStatusList(Map<String, Entry> entries) {
    this.entries = Map.copyOf(entries);
  }

  /**
   * Parses a status list.
   *
   * @throws EvidenceException {@code android.status.malformed} when it is not the documented JSON
   *     or names a status other than REVOKED or SUSPENDED
   */
  public static AttestationStatusList parse(byte[] json) throws EvidenceException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw malformed("the status list is not valid JSON");
    }
    if (root == null || !root.path("entries").isObject()) {
      throw malformed("the status list has no \"entries\" object");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.get("entries").properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String status = e.getValue().path("status").asText("");
      if (!status.equals("REVOKED") && !status.equals("SUSPENDED")) {
        throw malformed("entry " + e.getKey() + " has unknown status '" + status + "'");
      }
      String serial = normalize(e.getKey());
      if (serial == null) {
        throw malformed("entry key '" + e.getKey() + "' is not a hex serial number");
      }
      entries.put(serial, new Entry(status, e.getValue().path("reason").asText("")));
    }
    return new AttestationStatusList(entries);
  }

  /** The entry for a serial number, if listed. */
  public Optional<Entry> lookup(BigInteger serial) {
    return Optional.ofNullable(entries.get(serial.toString(16)));
  }

  /** Adds a failure for every certificate of {@code chain} that the list revokes or suspends. */
  public void check(List<X509Certificate> chain, Failures failures) {
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      Optional<Entry> e = lookup(c.getSerialNumber());
      if (e.isPresent()) {
        boolean revoked = e.get().status().equals("REVOKED");
        failures.add(
            revoked ? "android.chain.revoked" : "android.chain.suspended",
            "certificate "
                + i
                + " (serial "
                + c.getSerialNumber().toString(16)
                + ") is "
                + e.get().status()
                + " in the attestation status list"
                + (e.get().reason().isEmpty() ? "" : ", reason " + e.get().reason()));
      }
    }
  }

  /** Number of listed certificates. */
  public int size() {
    return entries.size();
  }

  private static String normalize(String hex) {
    try {
      return new BigInteger(hex.strip().toLowerCase(Locale.ROOT), 16).toString(16);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException("android.status.malformed", message);
  }
}
