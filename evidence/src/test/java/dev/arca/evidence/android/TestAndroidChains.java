// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only: Android key attestation chains (root, intermediate, attested leaf) issued by a test
 * CA, for what no captured vector shows: ID attestation (tags 710..717), a chosen app, root of
 * trust and security level, and a challenge the service chose. Public for the service's tests
 * (evidence's test-jar), which pin {@link #root} only through their test-only configuration; a
 * verifier without it refuses these chains ({@code android.chain.untrusted-root}).
 */
public final class TestAndroidChains {
  private static final AtomicLong SERIALS = new AtomicLong(1);

  public final X509Certificate root;
  private final X509Certificate intermediate;
  private final KeyPair intermediateKey;
  private final Instant notBefore;
  private final Instant notAfter;

  /**
   * A test root and an intermediate it issued, valid from {@code notBefore} to {@code notAfter}.
   */
  public TestAndroidChains(Instant notBefore, Instant notAfter) throws Exception {
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    KeyPair rootKey = newKey();
    intermediateKey = newKey();
    root = cert("CN=test android root", rootKey.getPublic(), "CN=test android root", rootKey, null);
    intermediate =
        cert(
            "CN=test android intermediate",
            intermediateKey.getPublic(),
            "CN=test android root",
            rootKey,
            null);
  }

  /**
   * What the attested leaf says: by default a locked, verified TEE device of brand {@code google},
   * model {@code Pixel 8}, serial {@code TESTSERIAL1} (ID attestation in the hardware-enforced
   * list), app {@code dev.arca.runtime} signed by {@link #SIGNER}, boot key {@link #BOOT_KEY}.
   * Mutable; each {@code with*} returns this.
   */
  public static final class Leaf {
    /** The default signing-certificate digest (32 bytes, hex). */
    public static final String SIGNER = "5a".repeat(32);

    /** The default verified boot key (32 bytes, hex). */
    public static final String BOOT_KEY = "b0".repeat(32);

    byte[] challenge;
    final Map<Integer, String> ids = new LinkedHashMap<>();
    boolean idsInSoftwareList;
    String packageName = "dev.arca.runtime";
    String signer = SIGNER;
    String bootKey = BOOT_KEY;
    boolean locked = true;
    VerifiedBootState bootState = VerifiedBootState.VERIFIED;
    SecurityLevel level = SecurityLevel.TRUSTED_ENVIRONMENT;

    Leaf(byte[] challenge) {
      this.challenge = challenge.clone();
      withIds("google", "Pixel 8", "TESTSERIAL1");
    }

    /** Brand (710), model (717) and serial (713); a null value leaves that tag out. */
    public Leaf withIds(String brand, String model, String serial) {
      ids.clear();
      put(710, brand);
      put(713, serial);
      put(716, brand == null ? null : "Google");
      put(717, model);
      return this;
    }

    /** No ID attestation at all (what an app that is not the device owner gets). */
    public Leaf withoutIds() {
      ids.clear();
      return this;
    }

    /** Puts the identifiers in the software-enforced list, which the hardware does not check. */
    public Leaf withIdsInSoftwareList() {
      idsInSoftwareList = true;
      return this;
    }

    /** The app the key belongs to and its signing-certificate SHA-256 (hex). */
    public Leaf withApp(String name, String signerSha256) {
      packageName = name;
      signer = signerSha256;
      return this;
    }

    /** The root of trust: boot key (hex), bootloader locked, verified boot state. */
    public Leaf withRootOfTrust(String bootKeyHex, boolean deviceLocked, VerifiedBootState state) {
      bootKey = bootKeyHex;
      locked = deviceLocked;
      bootState = state;
      return this;
    }

    /** Attestation and keymaster security level. */
    public Leaf withSecurityLevel(SecurityLevel l) {
      level = l;
      return this;
    }

    private void put(int tag, String v) {
      if (v != null) {
        ids.put(tag, v);
      }
    }
  }

  /** A leaf description for {@code challenge} with the defaults of {@link Leaf}. */
  public static Leaf leaf(byte[] challenge) {
    return new Leaf(challenge);
  }

  /** The chain for {@code leaf}, DER certificates concatenated, leaf first, root last. */
  public byte[] chain(Leaf leaf) throws Exception {
    KeyPair attested = newKey();
    X509Certificate cert =
        cert(
            "CN=Android Keystore Key",
            attested.getPublic(),
            "CN=test android intermediate",
            intermediateKey,
            keyDescription(leaf));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (X509Certificate c : List.of(cert, intermediate, root)) {
      out.writeBytes(c.getEncoded());
    }
    return out.toByteArray();
  }

  static byte[] keyDescription(Leaf l) throws Exception {
    ASN1EncodableVector sw = new ASN1EncodableVector();
    ASN1EncodableVector hw = new ASN1EncodableVector();
    // Tags in ascending order, as the schema's DER requires.
    hw.add(tagged(1, new DERSet(new ASN1Integer(2))));
    hw.add(tagged(2, new ASN1Integer(3)));
    hw.add(tagged(3, new ASN1Integer(256)));
    hw.add(tagged(702, new ASN1Integer(0)));
    hw.add(tagged(704, rootOfTrust(l)));
    hw.add(tagged(705, new ASN1Integer(140000)));
    hw.add(tagged(706, new ASN1Integer(202411)));
    sw.add(tagged(709, new DEROctetString(applicationId(l).getEncoded("DER"))));
    ASN1EncodableVector ids = l.idsInSoftwareList ? sw : hw;
    l.ids.forEach(
        (tag, v) -> ids.add(tagged(tag, new DEROctetString(v.getBytes(StandardCharsets.UTF_8)))));
    hw.add(tagged(718, new ASN1Integer(20241105)));
    hw.add(tagged(719, new ASN1Integer(20241105)));
    ASN1Encodable[] d = {
      new ASN1Integer(200),
      new ASN1Enumerated(level(l.level)),
      new ASN1Integer(200),
      new ASN1Enumerated(level(l.level)),
      new DEROctetString(l.challenge),
      new DEROctetString(new byte[0]),
      new DERSequence(sw),
      new DERSequence(hw)
    };
    return new DERSequence(d).getEncoded("DER");
  }

  private static DERSequence rootOfTrust(Leaf l) {
    return new DERSequence(
        new ASN1Encodable[] {
          new DEROctetString(HexFormat.of().parseHex(l.bootKey)),
          ASN1Boolean.getInstance(l.locked),
          new ASN1Enumerated(bootState(l.bootState)),
          new DEROctetString(new byte[32])
        });
  }

  private static DERSequence applicationId(Leaf l) {
    DERSequence pkg =
        new DERSequence(
            new ASN1Encodable[] {
              new DEROctetString(l.packageName.getBytes(StandardCharsets.UTF_8)), new ASN1Integer(7)
            });
    return new DERSequence(
        new ASN1Encodable[] {
          new DERSet(pkg), new DERSet(new DEROctetString(HexFormat.of().parseHex(l.signer)))
        });
  }

  private static int bootState(VerifiedBootState s) {
    return switch (s) {
      case VERIFIED -> 0;
      case SELF_SIGNED -> 1;
      case UNVERIFIED -> 2;
      case FAILED -> 3;
    };
  }

  private static int level(SecurityLevel l) {
    return switch (l) {
      case SOFTWARE -> 0;
      case TRUSTED_ENVIRONMENT -> 1;
      case STRONG_BOX -> 2;
    };
  }

  private static DERTaggedObject tagged(int tag, ASN1Encodable v) {
    return new DERTaggedObject(true, tag, v);
  }

  private static KeyPair newKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A CA certificate when {@code keyDescription} is null, else the attested leaf carrying it. */
  private X509Certificate cert(
      String subject, PublicKey key, String issuer, KeyPair issuerKey, byte[] keyDescription)
      throws Exception {
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(SERIALS.getAndIncrement()),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name(subject),
            key);
    if (keyDescription == null) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(
          new ASN1ObjectIdentifier(KeyDescription.OID),
          false,
          ASN1Primitive.fromByteArray(keyDescription));
    }
    PrivateKey signer = issuerKey.getPrivate();
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }
}
