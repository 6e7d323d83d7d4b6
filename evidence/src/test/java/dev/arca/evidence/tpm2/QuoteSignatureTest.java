// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.junit.jupiter.api.Test;

/**
 * RSA-PSS quote signatures: TPMs salt with the digest length, some older ones with the largest salt
 * that fits; both verify, anything else does not. A test key stands in for the AK.
 */
class QuoteSignatureTest {
  private static final byte[] SIGNED = "TPMS_ATTEST".getBytes(StandardCharsets.US_ASCII);
  private static final KeyPair AK = rsa2048();

  private static KeyPair rsa2048() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The AK as TPMT_PUBLIC: RSA, SHA-256 name, RSAPSS/SHA-256 scheme, 2048 bits, e = 65537. */
  private static TpmtPublic akPublic() throws EvidenceException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(HexFormat.of().parseHex("0001000b000000000000" + "0010" + "0016000b"));
    b.writeBytes(HexFormat.of().parseHex("0800" + "00000000" + "0100"));
    b.writeBytes(unsigned(((RSAPublicKey) AK.getPublic()).getModulus(), 256));
    return TpmtPublic.parse(b.toByteArray());
  }

  private static byte[] unsigned(BigInteger v, int n) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[n];
    System.arraycopy(raw, raw.length - n, out, 0, n);
    return out;
  }

  /** An RSAPSS/SHA-256 TPMT_SIGNATURE over {@link #SIGNED} with {@code salt} bytes of salt. */
  private static TpmtSignature pss(int salt) throws Exception {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) AK.getPrivate();
    PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), salt);
    s.init(true, new RSAKeyParameters(true, k.getModulus(), k.getPrivateExponent()));
    s.update(SIGNED, 0, SIGNED.length);
    byte[] sig = s.generateSignature();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(HexFormat.of().parseHex("0016000b0100"));
    b.writeBytes(sig);
    return TpmtSignature.parse(b.toByteArray());
  }

  @Test
  void aPssSignatureSaltedWithTheDigestLengthVerifies() throws Exception {
    TpmtPublic ak = akPublic();
    TpmtSignature sig = pss(32);
    assertThatCode(() -> QuoteSignature.verify(ak, sig, SIGNED)).doesNotThrowAnyException();
  }

  @Test
  void aPssSignatureWithTheLargestSaltThatFitsVerifies() throws Exception {
    // emLen = ceil((2048 - 1) / 8) = 256; the largest salt is emLen - hLen - 2 = 222.
    TpmtPublic ak = akPublic();
    TpmtSignature sig = pss(222);
    assertThatCode(() -> QuoteSignature.verify(ak, sig, SIGNED)).doesNotThrowAnyException();
  }

  @Test
  void aPssSignatureWithAnyOtherSaltIsRefused() throws Exception {
    TpmtPublic ak = akPublic();
    TpmtSignature sig = pss(20);
    assertThatThrownBy(() -> QuoteSignature.verify(ak, sig, SIGNED))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.ids())
                    .containsExactly("tpm2.quote.signature-invalid"));
  }
}
