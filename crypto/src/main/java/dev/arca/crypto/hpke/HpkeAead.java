// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

/** HPKE AEADs supported by Arca (RFC 9180 section 7.3, Table 5). */
public enum HpkeAead {
  AES_128_GCM(0x0001, 16, 12, 16),
  AES_256_GCM(0x0002, 32, 12, 16),
  CHACHA20_POLY1305(0x0003, 32, 12, 16),
  /** Export-only: the context derives secrets but cannot seal or open (id 0xFFFF). */
  EXPORT_ONLY(0xFFFF, 0, 0, 0);

  private final int id;
  private final int keyLength;
  private final int nonceLength;
  private final int tagLength;

  HpkeAead(int id, int nk, int nn, int nt) {
    this.id = id;
    this.keyLength = nk;
    this.nonceLength = nn;
    this.tagLength = nt;
  }

  /** Two-byte AEAD identifier. */
  public int id() {
    return id;
  }

  /** Nk: key length. */
  public int keyLength() {
    return keyLength;
  }

  /** Nn: nonce length. */
  public int nonceLength() {
    return nonceLength;
  }

  /** Nt: tag length. */
  public int tagLength() {
    return tagLength;
  }

  /** Looks up an AEAD by id; throws {@code hpke.unsupported-suite} for any other. */
  public static HpkeAead fromId(int id) throws HpkeException {
    for (HpkeAead a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    throw new HpkeException(
        HpkeException.UNSUPPORTED_SUITE, String.format("AEAD 0x%04x is not supported", id));
  }
}
