// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.signature.EcdsaParameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import java.security.GeneralSecurityException;

/**
 * Publisher signature algorithms. Signatures carry no Tink output prefix: the key is named by the
 * manifest's publisher key id instead.
 */
public enum SignatureAlgorithm {
  /**
   * ECDSA over NIST P-256 with SHA-256, DER-encoded signatures (Tink ECDSA_P256 without prefix).
   */
  ECDSA_P256_SHA256("ecdsa-p256-sha256"),
  /** Ed25519 (RFC 8032), 64-byte signatures. */
  ED25519("ed25519");

  private final String label;

  SignatureAlgorithm(String label) {
    this.label = label;
  }

  /** Stable name used in key ring documents. */
  public String label() {
    return label;
  }

  /** Looks up by {@link #label()}; throws {@code sign.bad-key} for an unknown label. */
  public static SignatureAlgorithm fromLabel(String label) throws SignatureException {
    for (SignatureAlgorithm a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new SignatureException(
        SignatureException.BAD_KEY,
        "unknown signature algorithm '" + label + "' (use ecdsa-p256-sha256 or ed25519)");
  }

  Parameters tinkParameters() throws GeneralSecurityException {
    return switch (this) {
      case ECDSA_P256_SHA256 ->
          EcdsaParameters.builder()
              .setCurveType(EcdsaParameters.CurveType.NIST_P256)
              .setHashType(EcdsaParameters.HashType.SHA256)
              .setSignatureEncoding(EcdsaParameters.SignatureEncoding.DER)
              .setVariant(EcdsaParameters.Variant.NO_PREFIX)
              .build();
      case ED25519 -> Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX);
      default -> throw new IllegalStateException(name());
    };
  }
}
