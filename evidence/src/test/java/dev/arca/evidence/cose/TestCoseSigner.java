// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborValue;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Test-only COSE_Sign1 signer: builds tokens for cases no shared vector covers (other curves,
 * PSA_IOT_PROFILE_1). Production code only verifies.
 */
public final class TestCoseSigner {
  private TestCoseSigner() {}

  /** A fresh EC key pair for {@code alg}'s curve. */
  public static KeyPair generate(CoseAlgorithm alg) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(
        new ECGenParameterSpec(
            switch (alg) {
              case ES256 -> "secp256r1";
              case ES384 -> "secp384r1";
              case ES512 -> "secp521r1";
            }));
    return g.generateKeyPair();
  }

  /** A COSE_Sign1 message over {@code payload}, tagged 18 when {@code tagged}. */
  public static byte[] sign(byte[] payload, CoseAlgorithm alg, PrivateKey key, boolean tagged)
      throws Exception {
    Map<CborValue, CborValue> prot = new LinkedHashMap<>();
    prot.put(CborValue.Int.of(1), CborValue.Int.of(alg.coseId()));
    byte[] protectedBytes = CborEncoder.encode(new CborValue.MapValue(prot));
    CborValue sigStructure =
        new CborValue.Array(
            List.of(
                new CborValue.Text("Signature1"),
                new CborValue.Bytes(protectedBytes),
                new CborValue.Bytes(new byte[0]),
                new CborValue.Bytes(payload)));
    Signature s = Signature.getInstance(alg.jcaName(), new BouncyCastleProvider());
    s.initSign(key);
    s.update(CborEncoder.encode(sigStructure));
    ASN1Sequence der = ASN1Sequence.getInstance(s.sign());
    int n = alg.coordinateBytes();
    byte[] raw = new byte[2 * n];
    fixed(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0, n);
    fixed(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, n, n);
    CborValue msg =
        new CborValue.Array(
            List.of(
                new CborValue.Bytes(protectedBytes),
                new CborValue.MapValue(Map.of()),
                new CborValue.Bytes(payload),
                new CborValue.Bytes(raw)));
    return CborEncoder.encode(tagged ? new CborValue.Tag(CoseSign1.TAG, msg) : msg);
  }

  private static void fixed(BigInteger v, byte[] out, int off, int n) {
    byte[] b = v.toByteArray();
    int copy = Math.min(b.length, n);
    System.arraycopy(b, b.length - copy, out, off + n - copy, copy);
  }
}
