// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.nitro;

import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.TestCoseSigner;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only: Nitro-shaped documents signed by a test CA, for what no real document can show (a
 * debug enclave with PCR0..2 all zero, or the service's fresh-nonce flow). The real AWS-signed
 * vector covers everything else. Public for the service's tests (evidence's test-jar), which pin
 * {@link #root} only through their test-only configuration.
 */
public final class TestNitroDocuments {
  /** The module id of {@link #document(Map, byte[], byte[])}'s documents. */
  public static final String MODULE_ID = "i-test-enc0";

  final KeyPair rootKey;
  public final X509Certificate root;
  final X509Certificate leaf;
  private final KeyPair leafKey;

  /** A test root and a leaf it issued, both valid from {@code notBefore} to {@code notAfter}. */
  public TestNitroDocuments(Instant notBefore, Instant notAfter) throws Exception {
    rootKey = TestCoseSigner.generate(CoseAlgorithm.ES384);
    leafKey = TestCoseSigner.generate(CoseAlgorithm.ES384);
    root =
        cert(
            "CN=test nitro root",
            rootKey.getPublic(),
            "CN=test nitro root",
            rootKey.getPrivate(),
            true,
            notBefore,
            notAfter);
    leaf =
        cert(
            "CN=test enclave",
            leafKey.getPublic(),
            "CN=test nitro root",
            rootKey.getPrivate(),
            false,
            notBefore,
            notAfter);
  }

  byte[] document(Map<Integer, byte[]> pcrs, byte[] nonce, byte[] userData) throws Exception {
    return document(pcrs, nonce, userData, root);
  }

  /** A document of enclave {@code moduleId} measuring {@code pcrs} and binding {@code userData}. */
  public byte[] document(String moduleId, Map<Integer, byte[]> pcrs, byte[] userData)
      throws Exception {
    return document(moduleId, pcrs, null, userData, root);
  }

  /** The same, with {@code carriedRoot} as the cabundle's only certificate. */
  byte[] document(
      Map<Integer, byte[]> pcrs, byte[] nonce, byte[] userData, X509Certificate carriedRoot)
      throws Exception {
    return document(MODULE_ID, pcrs, nonce, userData, carriedRoot);
  }

  private byte[] document(
      String moduleId,
      Map<Integer, byte[]> pcrs,
      byte[] nonce,
      byte[] userData,
      X509Certificate carriedRoot)
      throws Exception {
    Map<CborValue, CborValue> p = new LinkedHashMap<>();
    p.put(new CborValue.Text("module_id"), new CborValue.Text(moduleId));
    p.put(new CborValue.Text("digest"), new CborValue.Text("SHA384"));
    p.put(new CborValue.Text("timestamp"), CborValue.Int.of(1725719859545L));
    Map<CborValue, CborValue> pcrMap = new LinkedHashMap<>();
    pcrs.forEach((i, v) -> pcrMap.put(CborValue.Int.of(i), new CborValue.Bytes(v)));
    p.put(new CborValue.Text("pcrs"), new CborValue.MapValue(pcrMap));
    p.put(new CborValue.Text("certificate"), new CborValue.Bytes(leaf.getEncoded()));
    p.put(
        new CborValue.Text("cabundle"),
        new CborValue.Array(List.of(new CborValue.Bytes(carriedRoot.getEncoded()))));
    p.put(new CborValue.Text("public_key"), CborValue.Simple.NULL);
    p.put(new CborValue.Text("user_data"), bytesOrNull(userData));
    p.put(new CborValue.Text("nonce"), bytesOrNull(nonce));
    byte[] payload = CborEncoder.encode(new CborValue.MapValue(p));
    return TestCoseSigner.sign(payload, CoseAlgorithm.ES384, leafKey.getPrivate(), false);
  }

  /** A CBOR byte string, or null (how a document says it carries no nonce or user data). */
  private static CborValue bytesOrNull(byte[] b) {
    return b == null ? CborValue.Simple.NULL : new CborValue.Bytes(b);
  }

  static X509Certificate cert(
      String subject,
      PublicKey key,
      String issuer,
      PrivateKey issuerKey,
      boolean ca,
      Instant notBefore,
      Instant notAfter)
      throws Exception {
    var builder =
        new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name(subject),
                key)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey)));
  }
}
