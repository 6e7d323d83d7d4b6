// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * Conversions between EC public keys and the SEC 1 uncompressed point form ({@code 0x04 || X || Y})
 * that PSA instance ids hash and CCA realm tokens carry.
 */
public final class EcKeys {
  private static final Provider BC = new BouncyCastleProvider();

  private EcKeys() {}

  /** The uncompressed point of {@code key}, coordinates padded to the field length. */
  public static byte[] uncompressedPoint(ECPublicKey key) {
    int n = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
    byte[] out = new byte[1 + 2 * n];
    out[0] = 0x04;
    put(key.getW().getAffineX(), out, 1, n);
    put(key.getW().getAffineY(), out, 1 + n, n);
    return out;
  }

  /**
   * The public key of an uncompressed point on {@code alg}'s curve; the point is checked to lie on
   * the curve.
   *
   * @throws CoseException {@link CoseException.Reason#KEY_MISMATCH} when it is not a valid point
   */
  public static ECPublicKey fromUncompressedPoint(byte[] point, CoseAlgorithm alg)
      throws CoseException {
    String curve =
        switch (alg) {
          case ES256 -> "P-256";
          case ES384 -> "P-384";
          case ES512 -> "P-521";
        };
    int n = alg.coordinateBytes();
    if (point.length != 1 + 2 * n || point[0] != 0x04) {
      throw new CoseException(
          CoseException.Reason.KEY_MISMATCH,
          "a " + curve + " uncompressed point has " + (1 + 2 * n) + " bytes starting with 04");
    }
    try {
      ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(curve);
      PublicKey key =
          KeyFactory.getInstance("EC", BC)
              .generatePublic(new ECPublicKeySpec(spec.getCurve().decodePoint(point), spec));
      return (ECPublicKey) key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CoseException(
          CoseException.Reason.KEY_MISMATCH, "the point is not on the " + curve + " curve");
    }
  }

  private static void put(BigInteger v, byte[] out, int off, int n) {
    byte[] b = v.toByteArray();
    int copy = Math.min(b.length, n);
    System.arraycopy(b, b.length - copy, out, off + n - copy, copy);
  }
}
