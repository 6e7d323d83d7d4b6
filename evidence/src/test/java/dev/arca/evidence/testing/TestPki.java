// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-made P-256 keys and certificates (Bouncy Castle), for the chain, revocation and collateral
 * signer tests that need a CA the real vectors do not have. Never used outside tests.
 */
public final class TestPki {
  private TestPki() {}

  /** A fresh P-256 key pair. */
  public static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a certificate for {@code subject}'s {@code key}, self-signed unless issued. */
  public static Cert cert(String subject, KeyPair key) {
    return new Cert(subject, key);
  }

  /** A certificate being built; every setter is optional. */
  public static final class Cert {
    private final String subject;
    private final KeyPair key;
    private X500Name issuer;
    private KeyPair issuerKey;
    private BasicConstraints constraints = new BasicConstraints(false);
    private Integer keyUsage;
    private BigInteger serial = BigInteger.valueOf(System.nanoTime());
    private Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
    private Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");
    private final Map<String, byte[]> extensions = new LinkedHashMap<>();

    private Cert(String subject, KeyPair key) {
      this.subject = subject;
      this.key = key;
      this.issuer = new X500Name(subject);
      this.issuerKey = key;
    }

    /** Issued by {@code issuer} (a distinguished name) with {@code issuerKey}. */
    public Cert issuedBy(String issuer, KeyPair issuerKey) {
      return issuedBy(new X500Name(issuer), issuerKey);
    }

    /** Issued by {@code issuer} with {@code issuerKey}. */
    public Cert issuedBy(X500Name issuer, KeyPair issuerKey) {
      this.issuer = issuer;
      this.issuerKey = issuerKey;
      return this;
    }

    /** basicConstraints CA true or false. */
    public Cert ca(boolean ca) {
      this.constraints = new BasicConstraints(ca);
      return this;
    }

    /** basicConstraints CA with a pathLenConstraint. */
    public Cert ca(int pathLen) {
      this.constraints = new BasicConstraints(pathLen);
      return this;
    }

    /** A keyUsage extension ({@link KeyUsage} bits). */
    public Cert keyUsage(int bits) {
      this.keyUsage = bits;
      return this;
    }

    public Cert serial(long serial) {
      this.serial = BigInteger.valueOf(serial);
      return this;
    }

    public Cert valid(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    /**
     * A non-critical extension whose extnValue holds {@code value} as given (any bytes, so tests
     * can make malformed extensions).
     */
    public Cert extension(String oid, byte[] value) {
      extensions.put(oid, value.clone());
      return this;
    }

    public X509Certificate build() {
      try {
        var b =
            new JcaX509v3CertificateBuilder(
                issuer,
                serial,
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name(subject),
                key.getPublic());
        b.addExtension(Extension.basicConstraints, true, constraints);
        if (keyUsage != null) {
          b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        for (Map.Entry<String, byte[]> e : extensions.entrySet()) {
          b.addExtension(new ASN1ObjectIdentifier(e.getKey()), false, e.getValue());
        }
        return new JcaX509CertificateConverter()
            .getCertificate(
                b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
