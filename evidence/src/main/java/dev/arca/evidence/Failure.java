// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One reason evidence did not verify.
 *
 * @param id stable identifier, {@code <format>.<part>.<what>} (e.g. {@code
 *     tpm2.quote.signature-invalid}); tools and policies may match on it
 * @param message what went wrong, for a person; never contains secret material
 * @param kind whether the evidence is bad in itself or only not bound to what the verifier expected
 *     (the nonce or report data of this attestation)
 */
public record Failure(String id, String message, Kind kind) {
  /** What a failure is about. */
  public enum Kind {
    /** The evidence itself does not verify: signature, chain, structure, collateral, ... */
    EVIDENCE,
    /**
     * The evidence may be genuine but binds another nonce or report data than this verification
     * expected: a replay, or evidence made for another runtime key or measurement log.
     */
    BINDING
  }

  public Failure {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(kind, "kind");
  }

  /** A failure of the evidence itself. */
  public Failure(String id, String message) {
    this(id, message, Kind.EVIDENCE);
  }

  /** A binding failure: the evidence binds other data than expected. */
  public static Failure binding(String id, String message) {
    return new Failure(id, message, Kind.BINDING);
  }

  /**
   * This failure as JSON members, {@code id, kind, message} in that order, the one shape every
   * format's failures take wherever they are shown (the service's problem bodies, {@code arca
   * evidence verify}); {@code kind} is {@code evidence} or {@code binding}.
   */
  public Map<String, String> toJsonMembers() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("kind", kind.name().toLowerCase(Locale.ROOT));
    m.put("message", message);
    return m;
  }

  @Override
  public String toString() {
    return id + ": " + message;
  }
}
