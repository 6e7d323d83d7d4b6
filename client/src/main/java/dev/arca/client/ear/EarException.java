// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.ear;

/**
 * An attestation result (EAR token) the application must not trust, or that does not allow what the
 * application is about to send. The id is stable; the message says what to do.
 */
public final class EarException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Not a well-formed EAR JWT, or a claim is missing or of the wrong type. */
  public static final String MALFORMED = "ear.malformed";

  /** Not signed by a key in the service's JWKS with ES256 (including {@code alg: none}). */
  public static final String SIGNATURE = "ear.signature";

  /** Expired, or issued in the future. */
  public static final String EXPIRED = "ear.expired";

  /** Issued by another service than the one trusted. */
  public static final String ISSUER = "ear.issuer";

  /** Meant for another audience ({@code aud}) than the one the application named. */
  public static final String AUDIENCE = "ear.audience";

  /** An appraised component is contraindicated (or has no status). */
  public static final String STATUS = "ear.status";

  /** The runtime's encryption key differs from the key the token binds in {@code cnf}. */
  public static final String KEY_MISMATCH = "ear.key-mismatch";

  /** The token grants the runtime no lease for this model and data class. */
  public static final String NOT_GRANTED = "ear.not-granted";

  private final String id;

  public EarException(String id, String message) {
    super(message);
    this.id = id;
  }

  public EarException(String id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  /** The stable failure id. */
  public String id() {
    return id;
  }
}
