// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

/**
 * A COSE structure is malformed, uses an algorithm Arca does not accept, or its signature does not
 * verify. {@link #reason()} is stable, so a format maps it to its own failure id.
 */
public final class CoseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the COSE check failed. */
  public enum Reason {
    /** Not a COSE_Sign1 array of four items with the right types. */
    MALFORMED("cose.malformed"),
    /** The protected header's {@code alg} is missing or not ES256, ES384 or ES512. */
    UNSUPPORTED_ALGORITHM("cose.unsupported-algorithm"),
    /** The verification key is not on the curve the algorithm requires. */
    KEY_MISMATCH("cose.key-mismatch"),
    /** The signature does not verify with the key. */
    SIGNATURE_INVALID("signature.invalid");

    private final String id;

    Reason(String id) {
      this.id = id;
    }

    /** The id suffix a format appends to its name, e.g. {@code signature.invalid}. */
    public String id() {
      return id;
    }
  }

  private final Reason reason;

  public CoseException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
