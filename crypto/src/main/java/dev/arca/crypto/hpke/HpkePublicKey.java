// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import java.util.Arrays;
import java.util.Base64;

/**
 * An HPKE recipient (or sender) public key for a given KEM, in its serialized form
 * (SerializePublicKey, RFC 9180 section 7.1.1: for X25519 the 32-byte u-coordinate). Immutable.
 */
public final class HpkePublicKey {
  private final HpkeKem kem;
  private final byte[] bytes;

  private HpkePublicKey(HpkeKem kem, byte[] bytes) {
    this.kem = kem;
    this.bytes = bytes;
  }

  /**
   * Deserializes a public key.
   *
   * @throws HpkeException {@code hpke.bad-key} if the length is not Npk of the KEM
   */
  public static HpkePublicKey of(HpkeKem kem, byte[] serialized) throws HpkeException {
    if (serialized == null || serialized.length != kem.publicKeyLength()) {
      throw new HpkeException(
          HpkeException.BAD_KEY,
          "public key for "
              + kem
              + " must be "
              + kem.publicKeyLength()
              + " bytes, got "
              + (serialized == null ? "none" : serialized.length));
    }
    return new HpkePublicKey(kem, serialized.clone());
  }

  /** The KEM this key belongs to. */
  public HpkeKem kem() {
    return kem;
  }

  /** The serialized key (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkePublicKey hpkePublicKey
        && hpkePublicKey.kem == kem
        && Arrays.equals(hpkePublicKey.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "HpkePublicKey["
        + kem
        + ", "
        + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
        + "]";
  }
}
