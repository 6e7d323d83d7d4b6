// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A published model version. The data key is held only wrapped under the KEK and never leaves this
 * record in JSON.
 */
public record ModelVersion(
    String modelId,
    long version,
    JsonNode manifest,
    String manifestDigest,
    @JsonIgnore byte[] wrappedDataKey,
    @JsonIgnore String packagePath,
    long packageSize,
    String packageSha256,
    String status,
    Instant publishedAt,
    String publishedBy,
    Instant revokedAt) {

  public static final String PUBLISHED = "published";
  public static final String REVOKED = "revoked";

  public boolean revoked() {
    return REVOKED.equals(status);
  }

  /** The data classes the manifest allows ({@code dataClasses}). */
  public List<String> dataClasses() {
    List<String> out = new ArrayList<>();
    manifest.path("dataClasses").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The publisher's labels the manifest signs ({@code labels}; none in older manifests). */
  public Map<String, String> labels() {
    Map<String, String> out = new TreeMap<>();
    manifest.path("labels").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  @Override
  public String toString() {
    return "ModelVersion[" + modelId + "@" + version + ", " + status + "]";
  }
}
