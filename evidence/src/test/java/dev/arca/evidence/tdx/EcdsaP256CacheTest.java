// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.testing.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * {@link EcdsaP256#verifyCached}, which the TDX verifier uses for the QE report and collateral
 * signatures: a remembered success answers only for the very same key, bytes and signature.
 */
class EcdsaP256CacheTest {
  private static final byte[] REPORT =
      "a QE report of 384 bytes, here shorter".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aRememberedSuccessNeverAnswersForOtherBytesSignaturesOrKeys() throws Exception {
    KeyPair pck = TestPki.p256();
    ECPublicKeyParameters key = EcdsaP256.key(pck.getPublic());
    byte[] rs = sign(pck, REPORT);

    assertThat(EcdsaP256.verifyCached(key, REPORT, rs)).isTrue();
    assertThat(EcdsaP256.verifyCached(key, REPORT.clone(), rs.clone())).isTrue();

    byte[] tamperedReport = REPORT.clone();
    tamperedReport[0] ^= 0x01;
    assertThat(EcdsaP256.verifyCached(key, tamperedReport, rs)).isFalse();
    byte[] tamperedSignature = rs.clone();
    tamperedSignature[63] ^= 0x01;
    assertThat(EcdsaP256.verifyCached(key, REPORT, tamperedSignature)).isFalse();
    assertThat(EcdsaP256.verifyCached(key, REPORT, Arrays.copyOf(rs, 63))).isFalse();
    assertThat(EcdsaP256.verifyCached(key, Arrays.copyOf(REPORT, REPORT.length + 1), rs)).isFalse();
    ECPublicKeyParameters other = EcdsaP256.key(TestPki.p256().getPublic());
    assertThat(EcdsaP256.verifyCached(other, REPORT, rs)).isFalse();
    assertThat(EcdsaP256.verifyCached(null, REPORT, rs)).isFalse();
  }

  @Test
  void aFailureIsNotRememberedAndASuccessAfterItStillVerifies() throws Exception {
    KeyPair pck = TestPki.p256();
    ECPublicKeyParameters key = EcdsaP256.key(pck.getPublic());
    byte[] rs = sign(pck, REPORT);
    byte[] tampered = REPORT.clone();
    tampered[1] ^= 0x40;

    assertThat(EcdsaP256.verifyCached(key, tampered, rs)).isFalse();
    assertThat(EcdsaP256.verifyCached(key, tampered, rs)).isFalse();
    assertThat(EcdsaP256.verifyCached(key, REPORT, rs)).isTrue();
    assertThat(EcdsaP256.verifyCached(key, tampered, rs)).isFalse();
  }

  /** SHA256withECDSA by the JDK, as raw r||s. */
  private static byte[] sign(KeyPair kp, byte[] message) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(message);
    ASN1Sequence der = ASN1Sequence.getInstance(s.sign());
    byte[] rs = new byte[64];
    put(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), rs, 0);
    put(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), rs, 32);
    return rs;
  }

  private static void put(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int copy = Math.min(b.length, 32);
    System.arraycopy(b, b.length - copy, out, off + 32 - copy, copy);
  }
}
