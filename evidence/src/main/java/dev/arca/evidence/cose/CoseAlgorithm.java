// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/**
 * The COSE signature algorithms Arca accepts (RFC 9053 section 2.1): ECDSA with the curve the
 * algorithm implies, as attestation tokens use it. The signature is the raw {@code r || s}, each
 * the curve's byte length.
 */
public enum CoseAlgorithm {
  ES256(-7, "SHA256withECDSA", 256),
  ES384(-35, "SHA384withECDSA", 384),
  ES512(-36, "SHA512withECDSA", 521);

  private final int coseId;
  private final String jcaName;
  private final int fieldBits;

  CoseAlgorithm(int coseId, String jcaName, int fieldBits) {
    this.coseId = coseId;
    this.jcaName = jcaName;
    this.fieldBits = fieldBits;
  }

  /** The algorithm with this COSE identifier, if accepted. */
  public static Optional<CoseAlgorithm> byId(long id) {
    for (CoseAlgorithm a : values()) {
      if (a.coseId == id) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public int coseId() {
    return coseId;
  }

  /** The JCA signature name (DER-encoded ECDSA signatures). */
  public String jcaName() {
    return jcaName;
  }

  /** Bytes of one coordinate (and of r and of s). */
  public int coordinateBytes() {
    return (fieldBits + 7) / 8;
  }

  /** Field size in bits of the curve this algorithm requires (P-256, P-384, P-521). */
  public int fieldBits() {
    return fieldBits;
  }

  /**
   * Checks that {@code key} is an EC key on this algorithm's curve.
   *
   * @throws CoseException {@link CoseException.Reason#KEY_MISMATCH} otherwise
   */
  public void checkKey(PublicKey key) throws CoseException {
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != fieldBits) {
      throw new CoseException(
          CoseException.Reason.KEY_MISMATCH,
          name() + " needs an EC key on the P-" + fieldBits + " curve, got " + describe(key));
    }
  }

  private static String describe(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      return "an EC key with a "
          + ec.getParams().getCurve().getField().getFieldSize()
          + "-bit field";
    }
    return "a " + key.getAlgorithm() + " key";
  }
}
