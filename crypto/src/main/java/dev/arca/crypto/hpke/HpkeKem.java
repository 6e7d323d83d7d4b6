// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

/**
 * HPKE key encapsulation mechanisms supported by Arca (RFC 9180 section 7.1, Table 2). Only
 * DHKEM(X25519, HKDF-SHA256): it is the KEM of Arca's runtime keys and of RFC 9458's example.
 */
public enum HpkeKem {
  DHKEM_X25519_HKDF_SHA256(0x0020, 32, 32, 32, 32);

  private final int id;
  private final int secretLength;
  private final int encLength;
  private final int publicKeyLength;
  private final int privateKeyLength;

  HpkeKem(int id, int nSecret, int nEnc, int nPk, int nSk) {
    this.id = id;
    this.secretLength = nSecret;
    this.encLength = nEnc;
    this.publicKeyLength = nPk;
    this.privateKeyLength = nSk;
  }

  /** Two-byte KEM identifier. */
  public int id() {
    return id;
  }

  /** Nsecret: length of the KEM shared secret. */
  public int secretLength() {
    return secretLength;
  }

  /** Nenc: length of an encapsulated key. */
  public int encLength() {
    return encLength;
  }

  /** Npk: length of a serialized public key. */
  public int publicKeyLength() {
    return publicKeyLength;
  }

  /** Nsk: length of a serialized private key. */
  public int privateKeyLength() {
    return privateKeyLength;
  }

  /** Looks up a KEM by id; throws {@code hpke.unsupported-suite} for any other. */
  public static HpkeKem fromId(int id) throws HpkeException {
    for (HpkeKem k : values()) {
      if (k.id == id) {
        return k;
      }
    }
    throw new HpkeException(
        HpkeException.UNSUPPORTED_SUITE,
        String.format("KEM 0x%04x is not supported (supported: 0x0020 X25519)", id));
  }
}
