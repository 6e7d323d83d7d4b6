// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

/** HPKE key derivation functions supported by Arca (RFC 9180 section 7.2, Table 3). */
public enum HpkeKdf {
  HKDF_SHA256(0x0001, 32);

  private final int id;
  private final int hashLength;

  HpkeKdf(int id, int nh) {
    this.id = id;
    this.hashLength = nh;
  }

  /** Two-byte KDF identifier. */
  public int id() {
    return id;
  }

  /** Nh: output length of Extract. */
  public int hashLength() {
    return hashLength;
  }

  /** Looks up a KDF by id; throws {@code hpke.unsupported-suite} for any other. */
  public static HpkeKdf fromId(int id) throws HpkeException {
    for (HpkeKdf k : values()) {
      if (k.id == id) {
        return k;
      }
    }
    throw new HpkeException(
        HpkeException.UNSUPPORTED_SUITE,
        String.format("KDF 0x%04x is not supported (supported: 0x0001 HKDF-SHA256)", id));
  }
}
