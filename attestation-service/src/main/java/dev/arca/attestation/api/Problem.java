// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.Map;

/**
 * An RFC 9457 problem details document. {@code extensions} carry typed extra members (for example
 * the denying rules of a policy decision); never a secret or a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    URI type, String title, int status, String detail, String instance, Map<String, Object> ext) {

  /** RFC 9457 media type. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Copies {@code ext} in a stable member order ({@link StableOrder}), the same on every run. */
  public Problem {
    ext = ext == null ? null : StableOrder.members(ext);
  }

  /** Extension members, serialised at the top level beside the standard members. */
  @JsonAnyGetter
  public Map<String, Object> extensions() {
    return ext == null ? Map.of() : ext;
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Map<String, Object> ext() {
    return ext;
  }
}
