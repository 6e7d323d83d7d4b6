// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import java.util.Objects;

/**
 * An HPKE cipher suite (KEM, KDF, AEAD), RFC 9180 section 7. Immutable value.
 *
 * <p>Arca's key release uses {@link #X25519_SHA256_AES256GCM}; {@link
 * #X25519_SHA256_CHACHA20POLY1305} suits devices without AES instructions.
 */
public final class HpkeSuite {
  /** DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM: Arca's default for key release. */
  public static final HpkeSuite X25519_SHA256_AES256GCM =
      new HpkeSuite(HpkeKem.DHKEM_X25519_HKDF_SHA256, HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM);

  /** DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305. */
  public static final HpkeSuite X25519_SHA256_CHACHA20POLY1305 =
      new HpkeSuite(
          HpkeKem.DHKEM_X25519_HKDF_SHA256, HpkeKdf.HKDF_SHA256, HpkeAead.CHACHA20_POLY1305);

  /** DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM (RFC 9458 Appendix A). */
  public static final HpkeSuite X25519_SHA256_AES128GCM =
      new HpkeSuite(HpkeKem.DHKEM_X25519_HKDF_SHA256, HpkeKdf.HKDF_SHA256, HpkeAead.AES_128_GCM);

  private final HpkeKem kem;
  private final HpkeKdf kdf;
  private final HpkeAead aead;

  private HpkeSuite(HpkeKem kem, HpkeKdf kdf, HpkeAead aead) {
    this.kem = Objects.requireNonNull(kem);
    this.kdf = Objects.requireNonNull(kdf);
    this.aead = Objects.requireNonNull(aead);
  }

  /** A suite from its parts. */
  public static HpkeSuite of(HpkeKem kem, HpkeKdf kdf, HpkeAead aead) {
    return new HpkeSuite(kem, kdf, aead);
  }

  /**
   * A suite from its registry identifiers.
   *
   * @throws HpkeException {@code hpke.unsupported-suite} if any identifier is not supported
   */
  public static HpkeSuite fromIds(int kemId, int kdfId, int aeadId) throws HpkeException {
    return new HpkeSuite(HpkeKem.fromId(kemId), HpkeKdf.fromId(kdfId), HpkeAead.fromId(aeadId));
  }

  public HpkeKem kem() {
    return kem;
  }

  public HpkeKdf kdf() {
    return kdf;
  }

  public HpkeAead aead() {
    return aead;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeSuite hpkeSuite
        && hpkeSuite.kem == kem
        && hpkeSuite.kdf == kdf
        && hpkeSuite.aead == aead;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kem, kdf, aead);
  }

  @Override
  public String toString() {
    return kem + "/" + kdf + "/" + aead;
  }
}
