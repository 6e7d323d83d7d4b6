// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.devstack.Swtpm;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.tpm.Tpm2Tools;
import dev.arca.tpm.Tpm2Tools.KeyType;
import dev.arca.tpm.Tpm2Tools.SignScheme;
import dev.arca.tpm.TpmObject;
import dev.arca.tpm.TpmQuote;
import dev.arca.tpm.TpmToolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fresh evidence from a real software TPM (swtpm + tpm2-tools): quotes with ECC and RSA AKs,
 * SHA-256 and SHA-1 banks, nonces, the EK certificate made by swtpm_setup with swtpm-localca,
 * credential activation with Arca's MakeCredential, and an event log extended into the TPM. Skips,
 * naming the missing tools, where swtpm or tpm2-tools is not installed (CI installs them).
 */
class Tpm2SwtpmTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Swtpm tpm;
  private static Tpm2Tools tools;
  private static TpmObject ek;
  private static TpmObject eccAk;
  private static X509Certificate localCa;

  private final Tpm2Verifier verifier = new Tpm2Verifier();

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
    tools = tpm.tools();
    ek = tools.createEk(KeyType.RSA);
    eccAk = tools.createAk(ek, KeyType.ECC, "sha256", SignScheme.ECDSA);
    localCa = CertificateChains.parse(Files.readAllBytes(tpm.localCaCertificate()), "test").get(0);
  }

  @AfterAll
  static void stop() {
    if (tpm != null) {
      tpm.close();
    }
  }

  static Tpm2Bundle bundle(TpmQuote q, byte[] eventLog, byte[] ekCert, List<byte[]> chain) {
    return new Tpm2Bundle(
        q.attest(),
        q.signature(),
        q.akPublic(),
        Map.of(q.bank(), q.pcrs()),
        eventLog,
        ekCert,
        chain);
  }

  private static byte[] nonce() {
    byte[] n = new byte[32];
    RANDOM.nextBytes(n);
    return n;
  }

  private List<String> ids(Tpm2Bundle b, VerificationContext ctx) {
    try {
      verifier.verify(b.toJson(), ctx);
    } catch (EvidenceException e) {
      return e.ids();
    }
    throw new AssertionError("verified, but should not have");
  }

  @ParameterizedTest(name = "{0} AK, {1}, {2} bank, {3} signing hash")
  @CsvSource({
    "ECC, ECDSA, sha256, sha256",
    "ECC, ECDSA, sha1, sha384",
    "RSA, RSASSA, sha256, sha256",
    "RSA, RSASSA, sha1, sha1",
    "RSA, RSAPSS, sha256, sha256"
  })
  void freshQuoteWithNonceVerifies(KeyType type, SignScheme scheme, String bank, String hash)
      throws Exception {
    TpmObject ak = tools.createAk(ek, type, hash, scheme);
    byte[] nonce = nonce();
    TpmQuote q = tools.quote(ak, nonce, bank, List.of(0, 1, 2, 3, 7, 16), hash, scheme);
    TpmtPublic akPublic = TpmtPublic.parse(ak.publicArea());
    Claims c =
        verifier.verify(
            bundle(q, null, null, List.of()).toJson(),
            VerificationContext.expectingNonce(NOW, nonce)
                .trustedKey(akPublic.toPublicKey())
                .build());
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.reportData()).isEqualTo(nonce);
    assertThat(c.deviceIdentity()).isEqualTo("tpm2:ak:" + ak.nameHex());
    assertThat(c.measurements()).hasSize(6).containsKey("pcr." + bank + ".16");
    @SuppressWarnings("unchecked")
    Map<String, Object> sig = (Map<String, Object>) c.raw().get("signature");
    assertThat(sig)
        .containsEntry("algorithm", scheme.name().toLowerCase(Locale.ROOT))
        .containsEntry("hash", hash);
  }

  @Test
  void aRealQuoteOverNoPcrIsRefused() throws Exception {
    // tpm2_quote -l sha256:none: the TPM signs a quote whose selection selects no PCR.
    byte[] nonce = nonce();
    TpmQuote q = tools.quote(eccAk, nonce, "sha256", List.of(), "sha256");
    TpmsAttest attest = TpmsAttest.parse(q.attest());
    assertThat(attest.pcrSelections()).allSatisfy(sel -> assertThat(sel.pcrs()).isEmpty());
    VerificationContext ctx =
        VerificationContext.expectingNonce(NOW, nonce)
            .trustedKey(TpmtPublic.parse(eccAk.publicArea()).toPublicKey())
            .build();
    // The signature, the nonce and the digest (of no PCR) are all right: only the selection fails.
    assertThat(ids(bundle(q, null, null, List.of()), ctx)).containsExactly("tpm2.pcrs.none-quoted");
    // The same AK's quote over one PCR verifies with the same context.
    TpmQuote one = tools.quote(eccAk, nonce, "sha256", List.of(0), "sha256");
    assertThat(verifier.verify(bundle(one, null, null, List.of()).toJson(), ctx).measurements())
        .containsOnlyKeys("pcr.sha256.0");
  }

  @Test
  void wrongNonceTamperedPcrAndFlippedBytesAreEachRejected() throws Exception {
    byte[] nonce = nonce();
    TpmQuote q = tools.quote(eccAk, nonce, "sha256", List.of(0, 16, 23), "sha256");
    Tpm2Bundle good = bundle(q, null, null, List.of());
    VerificationContext ctx = VerificationContext.expectingNonce(NOW, nonce).build();
    verifier.verify(good.toJson(), ctx);

    assertThat(ids(good, VerificationContext.expectingNonce(NOW, nonce()).build()))
        .containsExactly("tpm2.quote.nonce-mismatch");

    Map<Integer, byte[]> pcrs = new java.util.TreeMap<>(q.pcrs());
    byte[] v = pcrs.get(16).clone();
    v[31] ^= 1;
    pcrs.put(16, v);
    Tpm2Bundle tampered =
        new Tpm2Bundle(
            q.attest(), q.signature(), q.akPublic(), Map.of("sha256", pcrs), null, null, List.of());
    assertThat(ids(tampered, ctx)).containsExactly("tpm2.pcrs.digest-mismatch");

    byte[] sig = q.signature();
    for (int i = 0; i < sig.length; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 0x01;
      Tpm2Bundle b =
          new Tpm2Bundle(
              q.attest(), bad, q.akPublic(), Map.of("sha256", q.pcrs()), null, null, List.of());
      assertThat(ids(b, ctx)).as("signature flip at %d", i).isNotEmpty();
    }
    byte[] attest = q.attest();
    for (int i = 0; i < attest.length; i++) {
      byte[] bad = attest.clone();
      bad[i] ^= 0x01;
      Tpm2Bundle b =
          new Tpm2Bundle(
              bad, q.signature(), q.akPublic(), Map.of("sha256", q.pcrs()), null, null, List.of());
      assertThat(ids(b, ctx)).as("attest flip at %d", i).isNotEmpty();
    }
    // Signature and nonce both wrong: both reported.
    byte[] bad = sig.clone();
    bad[sig.length - 1] ^= 0x01;
    Tpm2Bundle both =
        new Tpm2Bundle(
            q.attest(), bad, q.akPublic(), Map.of("sha256", q.pcrs()), null, null, List.of());
    assertThat(ids(both, VerificationContext.expectingNonce(NOW, nonce()).build()))
        .containsExactly("tpm2.quote.signature-invalid", "tpm2.quote.nonce-mismatch");
  }

  @Test
  void anAkThatIsNotEnrolledIsRejected() throws Exception {
    TpmQuote q = tools.quote(eccAk, new byte[0], "sha256", List.of(0), "sha256");
    TpmObject other = tools.createAk(ek, KeyType.ECC, "sha256", SignScheme.ECDSA);
    VerificationContext ctx =
        VerificationContext.insecureWithoutBinding(NOW)
            .trustedKey(TpmtPublic.parse(other.publicArea()).toPublicKey())
            .build();
    assertThat(ids(bundle(q, null, null, List.of()), ctx)).containsExactly("tpm2.ak.untrusted");
  }

  @Test
  void ekCertificateChainsToSwtpmLocalCa() throws Exception {
    byte[] ekCert = tools.nvRead(Tpm2Tools.EK_CERT_RSA_2048);
    byte[] issuer =
        CertificateChains.parse(Files.readAllBytes(tpm.issuerCertificate()), "test")
            .get(0)
            .getEncoded();
    TpmQuote q = tools.quote(eccAk, new byte[] {7}, "sha256", List.of(0), "sha256");
    Tpm2Bundle b = bundle(q, null, ekCert, List.of(issuer));
    // swtpm_setup made the certificate just now: verify an hour after it became valid.
    Instant at =
        CertificateChains.parse(ekCert, "test").get(0).getNotBefore().toInstant().plusSeconds(3600);
    Claims c =
        verifier.verify(
            b.toJson(),
            VerificationContext.insecureWithoutBinding(at).trustAnchor(localCa).build());
    @SuppressWarnings("unchecked")
    Map<String, Object> ekClaims = (Map<String, Object>) c.raw().get("ek");
    assertThat(ekClaims)
        .containsEntry("chainVerified", true)
        .containsEntry("issuer", "CN=swtpm-localca");

    X509Certificate cert = EkCertificates.verifyChain(ekCert, issuer, List.of(localCa), at);
    EkCertificates.requireSameKey(cert, TpmtPublic.parse(ek.publicArea()));
    // What swtpm-localca really issues, which the TCG EK Credential Profile checks accept: an end
    // entity with keyEncipherment for the RSA EK, and tcg-kp-EKCertificate if it sets an EKU.
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    if (cert.getKeyUsage() != null) {
      assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
    }
    if (cert.getExtendedKeyUsage() != null) {
      assertThat(cert.getExtendedKeyUsage()).contains(EkCertificates.TCG_KP_EK_CERTIFICATE);
    }
    assertThatThrownBy(
            () -> EkCertificates.requireSameKey(cert, TpmtPublic.parse(eccAk.publicArea())))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tpm2.ek.key-mismatch"));

    // Unknown root, no root configured, and a time before the certificate was made.
    assertThat(
            ids(
                b,
                VerificationContext.insecureWithoutBinding(at)
                    .trustAnchor(selfSignedRoot())
                    .build()))
        .containsExactly("tpm2.ek.chain.untrusted-root");
    assertThat(ids(b, VerificationContext.insecureWithoutBinding(at).build()))
        .containsExactly("tpm2.ek.chain.untrusted-root");
    assertThat(
            ids(
                b,
                VerificationContext.insecureWithoutBinding(Instant.parse("2020-01-01T00:00:00Z"))
                    .trustAnchor(localCa)
                    .build()))
        .containsExactly("tpm2.ek.chain.not-yet-valid");
    byte[] flipped = ekCert.clone();
    flipped[flipped.length - 10] ^= 1; // inside the signature
    assertThat(
            ids(
                bundle(q, null, flipped, List.of(issuer)),
                VerificationContext.insecureWithoutBinding(at).trustAnchor(localCa).build()))
        .containsExactly("tpm2.ek.chain.signature-invalid");
  }

  @Test
  void credentialActivationReturnsTheSecretForRsaEk() throws Exception {
    byte[] secret = "arca enrolment secret 0123456789".getBytes(StandardCharsets.US_ASCII);
    MakeCredential.Credential cred =
        MakeCredential.make(TpmtPublic.parse(ek.publicArea()), eccAk.name(), secret, RANDOM);
    assertThat(tools.activateCredential(eccAk, ek, cred.idObject(), cred.encryptedSecret()))
        .isEqualTo(secret);
  }

  @Test
  void credentialActivationReturnsTheSecretForEccEk() throws Exception {
    TpmObject eccEk = tools.createEk(KeyType.ECC);
    TpmObject ak = tools.createAk(eccEk, KeyType.ECC, "sha256", SignScheme.ECDSA);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    MakeCredential.Credential cred =
        MakeCredential.make(TpmtPublic.parse(eccEk.publicArea()), ak.name(), secret, RANDOM);
    assertThat(tools.activateCredential(ak, eccEk, cred.idObject(), cred.encryptedSecret()))
        .isEqualTo(secret);
  }

  @Test
  void credentialForAnotherAkDoesNotActivate() throws Exception {
    TpmObject other = tools.createAk(ek, KeyType.RSA, "sha256", SignScheme.RSASSA);
    MakeCredential.Credential cred =
        MakeCredential.make(
            TpmtPublic.parse(ek.publicArea()), other.name(), new byte[] {1, 2, 3}, RANDOM);
    assertThatThrownBy(
            () -> tools.activateCredential(eccAk, ek, cred.idObject(), cred.encryptedSecret()))
        .isInstanceOf(TpmToolException.class)
        .hasMessageContaining("tpm2_activatecredential failed");
  }

  @Test
  void extendedEventsReplayToTheQuotedPcrs() throws Exception {
    // PCRs 8 and 9 are touched by no other test in this class and start at zero.
    AgileEventLogWriter log = new AgileEventLogWriter();
    String[][] events = {
      {"8", "arca runtime jar"}, {"9", "arca config"}, {"8", "arca model loader"}
    };
    for (String[] e : events) {
      byte[] data = e[1].getBytes(StandardCharsets.UTF_8);
      int pcr = Integer.parseInt(e[0]);
      log.event(pcr, 0xD /* EV_IPL */, data);
      tools.pcrExtend(pcr, "sha1", TpmAlg.hash(TpmAlg.SHA1, data));
      tools.pcrExtend(pcr, "sha256", TpmAlg.hash(TpmAlg.SHA256, data));
    }
    byte[] nonce = nonce();
    TpmQuote q = tools.quote(eccAk, nonce, "sha256", List.of(0, 8, 9), "sha256");
    Tpm2Bundle b = bundle(q, log.bytes(), null, List.of());
    Claims c = verifier.verify(b.toJson(), VerificationContext.expectingNonce(NOW, nonce).build());
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) c.raw().get("eventLog");
    assertThat(summary)
        .containsEntry("format", "crypto-agile")
        .containsEntry("events", 4)
        .containsEntry("replayedBanks", List.of("sha256"))
        .containsEntry("replayedPcrs", List.of(8, 9));

    byte[] wrongLog =
        new AgileEventLogWriter()
            .event(8, 0xD, "arca runtime jar".getBytes(StandardCharsets.UTF_8))
            .event(9, 0xD, "other config".getBytes(StandardCharsets.UTF_8))
            .event(8, 0xD, "arca model loader".getBytes(StandardCharsets.UTF_8))
            .bytes();
    assertThat(
            ids(
                bundle(q, wrongLog, null, List.of()),
                VerificationContext.insecureWithoutBinding(NOW).build()))
        .containsExactly("tpm2.eventlog.replay-mismatch");
  }

  @Test
  void secureBootIsClaimedOnlyWhenPcr7IsQuotedAndReplayed() throws Exception {
    // PCR 7 is extended by no other test in this class.
    byte[] secureBootOn = secureBootVariable((byte) 1);
    AgileEventLogWriter log =
        new AgileEventLogWriter().event(7, TcgEvent.EV_EFI_VARIABLE_DRIVER_CONFIG, secureBootOn);
    tools.pcrExtend(7, "sha1", TpmAlg.hash(TpmAlg.SHA1, secureBootOn));
    tools.pcrExtend(7, "sha256", TpmAlg.hash(TpmAlg.SHA256, secureBootOn));
    byte[] nonce = nonce();
    VerificationContext ctx = VerificationContext.expectingNonce(NOW, nonce).build();

    TpmQuote with7 = tools.quote(eccAk, nonce, "sha256", List.of(0, 7), "sha256");
    Claims covered = verifier.verify(bundle(with7, log.bytes(), null, List.of()).toJson(), ctx);
    assertThat(eventLog(covered))
        .containsEntry("secureBoot", true)
        .containsEntry("replayedPcrs", List.of(7))
        .containsEntry("unverifiedPcrs", List.of());
    assertThat(covered.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.AFFIRMING);

    // The same log with a quote that leaves PCR 7 out: the log's word on Secure Boot is unchecked.
    TpmQuote without7 = tools.quote(eccAk, nonce, "sha256", List.of(0), "sha256");
    Claims uncovered =
        verifier.verify(bundle(without7, log.bytes(), null, List.of()).toJson(), ctx);
    assertThat(eventLog(uncovered))
        .doesNotContainKey("secureBoot")
        .containsEntry("replayedPcrs", List.of())
        .containsEntry("unverifiedPcrs", List.of(7));
    assertThat(uncovered.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.NO_CLAIM);
    assertThat(uncovered.insecureFlags()).doesNotContain("tpm2.secure-boot-disabled");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> eventLog(Claims c) {
    return (Map<String, Object>) c.raw().get("eventLog");
  }

  /** UEFI_VARIABLE_DATA for EFI_GLOBAL_VARIABLE SecureBoot with a one-byte value. */
  static byte[] secureBootVariable(byte value) {
    byte[] name = "SecureBoot".getBytes(StandardCharsets.UTF_16LE);
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(16 + 8 + 8 + name.length + 1)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[16]); // the GUID is not checked
    b.putLong(name.length / 2).putLong(1).put(name).put(value);
    return b.array();
  }

  private static X509Certificate selfSignedRoot() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name("CN=Unknown TPM Manufacturer Root");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(Instant.parse("2020-01-01T00:00:00Z")),
            Date.from(Instant.parse("2040-01-01T00:00:00Z")),
            name,
            kp.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
  }
}
