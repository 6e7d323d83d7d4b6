package dev.arca.crypto.hpke;

import org.bouncycastle.math.ec.rfc7748.X25519;

/** X25519 (RFC 7748) on Bouncy Castle's constant-time implementation. */
final class X25519Dh {
  private X25519Dh() {}

  static byte[] publicFromPrivate(byte[] sk) {
    byte[] pk = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(sk, 0, pk, 0);
    return pk;
  }

  /** DH(sk, pk); throws for an all-zero result (small-order point), RFC 9180 section 7.1.4. */
  static byte[] dh(byte[] sk, byte[] pk) throws HpkeException {
    byte[] out = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(sk, 0, pk, 0, out, 0)) {
      throw new HpkeException(
          HpkeException.BAD_ENCAPSULATION,
          "X25519 produced the all-zero value: the peer's public key is a small-order point");
    }
    return out;
  }
}
