// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import static dev.arca.evidence.android.AndroidVectors.CHALLENGE;
import static dev.arca.evidence.android.AndroidVectors.VECTOR_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AndroidKeyVerifierTest {
  private final AndroidKeyVerifier verifier = new AndroidKeyVerifier();

  private static VerificationContext.Builder at2020() {
    return VerificationContext.insecureWithoutBinding(VECTOR_TIME);
  }

  private byte[] tee() throws Exception {
    return verifier.readEvidence(AndroidVectors.tee());
  }

  private static EvidenceException failure(ThrowingVerify v) {
    try {
      v.run();
    } catch (EvidenceException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected an EvidenceException, got " + e, e);
    }
    throw new AssertionError("expected an EvidenceException, but the evidence verified");
  }

  private interface ThrowingVerify {
    void run() throws Exception;
  }

  @Test
  void teeChainVerifiesAtItsTimeWithTheExpectedClaims() throws Exception {
    Claims c =
        verifier.verify(tee(), VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build());

    assertThat(c.format()).isEqualTo("android-key");
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.securityLevel()).isEqualTo("tee");
    assertThat(c.reportData()).isEqualTo(CHALLENGE);
    // The vector's device is unlocked with verified boot "Unverified" (a development device).
    assertThat(c.insecureFlags())
        .containsExactly("android.bootloader-unlocked", "android.verified-boot.unverified");
    assertThat(c.debug()).isTrue();
    assertThat(c.tcb())
        .containsEntry("attestationVersion", "3")
        .containsEntry("keymasterVersion", "4")
        .containsEntry("osVersion", "0")
        .containsEntry("osPatchLevel", "201907")
        .containsEntry("vendorPatchLevel", "201907")
        .containsEntry("bootPatchLevel", "201907");
    assertThat(c.measurements())
        .containsEntry("verifiedBootKey", "00".repeat(32))
        .containsEntry(
            "verifiedBootHash", "728db1274f1f1cf1571de4380b048a554ac4a380e76f5355083529084a937801");
    assertThat(c.raw())
        .containsEntry("attestationVersion", 3)
        .containsEntry("attestationSecurityLevel", "tee")
        .containsEntry("keymasterVersion", 4)
        .containsEntry("keymasterSecurityLevel", "tee")
        .containsEntry("attestationChallenge", "616263")
        .containsEntry("uniqueId", "")
        .containsEntry("rootKey", "google-hardware-attestation-root-rsa4096")
        .containsEntry("chainLength", 4)
        .containsEntry("attestedCertificateIndex", 0)
        .containsEntry("revocationStatus", "not-checked");
    @SuppressWarnings("unchecked")
    Map<String, Object> tee = (Map<String, Object>) c.raw().get("teeEnforced");
    assertThat(tee)
        .containsEntry("purpose", List.of(2L, 3L))
        .containsEntry("algorithm", 3L)
        .containsEntry("keySize", 256L)
        .containsEntry("digest", List.of(4L))
        .containsEntry("ecCurve", 1L)
        .containsEntry("origin", 0L)
        .containsEntry(
            "rootOfTrust",
            Map.of(
                "verifiedBootKey",
                "00".repeat(32),
                "deviceLocked",
                false,
                "verifiedBootState",
                "unverified",
                "verifiedBootHash",
                "728db1274f1f1cf1571de4380b048a554ac4a380e76f5355083529084a937801"));
    @SuppressWarnings("unchecked")
    Map<String, Object> sw = (Map<String, Object>) c.raw().get("softwareEnforced");
    assertThat(sw).containsEntry("creationDateTime", 0x0164E61167FFL);
    @SuppressWarnings("unchecked")
    Map<String, Object> appId = (Map<String, Object>) sw.get("attestationApplicationId");
    assertThat(appId.get("signatureDigests"))
        .isEqualTo(List.of("301aa3cb081134501c45f1422abc66c24224fd5ded5fdc8f17e697176fd866aa"));
    @SuppressWarnings("unchecked")
    List<Object> packages = (List<Object>) appId.get("packages");
    assertThat(packages)
        .hasSize(13)
        .contains((Object) Map.of("name", "com.android.keychain", "version", 29L));

    X509Certificate leaf = certs(AndroidVectors.tee()).get(0);
    byte[] leafKeyHash =
        java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded());
    assertThat(c.deviceIdentity())
        .isEqualTo(
            AndroidKeyVerifier.deviceIdentity(java.util.Optional.of(new byte[32]), leafKeyHash))
        .startsWith("android-key:");

    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.AFFIRMING);
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.INSTANCE_IDENTITY))
        .isEqualTo(Trustworthiness.AFFIRMING);
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
    assertThat(c.trustworthiness().tier()).isEqualTo(Trustworthiness.Tier.CONTRAINDICATED);
  }

  @Test
  void withoutNonceTheChallengeIsShownButNotChecked() throws Exception {
    Claims c = verifier.verify(tee(), at2020().build());
    assertThat(c.reportDataHex()).isEqualTo("616263");
  }

  @Test
  void onePemFileReadsLikeTheFolder(@TempDir Path tmp) throws Exception {
    Path pem = tmp.resolve("chain.pem");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      sb.append(Files.readString(AndroidVectors.tee().resolve("cert" + i + ".pem"))).append('\n');
    }
    Files.writeString(pem, sb);
    Claims fromFile =
        verifier.verify(
            verifier.readEvidence(pem),
            VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build());
    Claims fromDir =
        verifier.verify(tee(), VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build());
    assertThat(fromFile).isEqualTo(fromDir);
  }

  @Test
  void aFolderWithoutLeafIsAnIoError(@TempDir Path tmp) {
    assertThatThrownBy(() -> verifier.readEvidence(tmp))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("cert0.pem");
  }

  @Test
  void chainWithoutTheRootCertificateStillAnchorsAtThePinnedKey() throws Exception {
    List<byte[]> der = AndroidVectors.der(AndroidVectors.tee());
    Claims c =
        verifier.verify(
            AndroidVectors.concat(der.subList(0, 3)),
            VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build());
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.raw()).containsEntry("chainLength", 3);
  }

  @Test
  void aChainWithoutItsRootSaysTheSameEveryTimeItIsVerified() throws Exception {
    // The second verification finds the chain in the validation cache, whose anchor is the
    // certificate object of the first parse: the claims must not depend on which object it is.
    byte[] withoutRoot =
        AndroidVectors.concat(AndroidVectors.der(AndroidVectors.tee()).subList(0, 3));
    VerificationContext context =
        VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build();
    Claims first = verifier.verify(withoutRoot, context);
    Claims again = verifier.verify(withoutRoot.clone(), context);
    for (Claims c : List.of(first, again)) {
      assertThat(c.hardwareRooted()).isTrue();
      assertThat(c.raw()).containsEntry("rootKey", "google-hardware-attestation-root-rsa4096");
      assertThat(c.insecureFlags()).doesNotContain("android.non-google-root");
    }
  }

  @Test
  void strongBoxChainEndsAtAnUnknownRoot() throws Exception {
    byte[] sb = verifier.readEvidence(AndroidVectors.strongBox());
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    sb, VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build()));
    assertThat(e.ids()).containsExactly("android.chain.untrusted-root");
  }

  @Test
  void aRootAddedAsTrustAnchorIsAcceptedButNotGoogleRooted() throws Exception {
    byte[] sb = verifier.readEvidence(AndroidVectors.strongBox());
    X509Certificate root = certs(AndroidVectors.strongBox()).get(3);
    Claims c =
        verifier.verify(
            sb,
            VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).trustAnchor(root).build());
    assertThat(c.hardwareRooted()).isFalse();
    assertThat(c.securityLevel()).isEqualTo("strongbox");
    assertThat(c.insecureFlags()).contains("android.non-google-root");
    assertThat(c.raw()).containsEntry("rootKey", "context-anchor");
  }

  @Test
  void replacingThePinnedRootsRejectsTheGoogleChain() throws Exception {
    X509Certificate other = certs(AndroidVectors.strongBox()).get(3);
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    tee(), at2020().trustAnchor(other).replacePinnedAnchors(true).build()));
    assertThat(e.ids()).containsExactly("android.chain.untrusted-root");
  }

  @Test
  void wrongChallengeIsReported() throws Exception {
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    tee(),
                    VerificationContext.expectingNonce(
                            VECTOR_TIME, "abd".getBytes(StandardCharsets.US_ASCII))
                        .build()));
    assertThat(e.ids()).containsExactly("android.challenge.mismatch");
  }

  @Test
  void expectedReportDataIsCheckedAgainstTheChallengeToo() throws Exception {
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    tee(),
                    VerificationContext.expectingReportData(VECTOR_TIME, new byte[] {1}).build()));
    assertThat(e.ids()).containsExactly("android.challenge.mismatch");
  }

  @Test
  void reportDataEqualToTheChallengeVerifies() throws Exception {
    Claims c =
        verifier.verify(
            tee(), VerificationContext.expectingReportData(VECTOR_TIME, CHALLENGE).build());
    assertThat(c.reportData()).isEqualTo(CHALLENGE);
  }

  @Test
  void theChainIsExpiredAtTheRealTime() throws Exception {
    // A fixed instant after the RSA root certificate's notAfter (2026-05-24), when this was
    // written.
    Instant now = Instant.parse("2026-11-25T00:00:00Z");
    EvidenceException e =
        failure(
            () ->
                verifier.verify(tee(), VerificationContext.expectingNonce(now, CHALLENGE).build()));
    assertThat(e.ids()).containsExactly("android.chain.expired");
  }

  @Test
  void aChainIsNotValidBeforeItsCertificates() throws Exception {
    Instant early = Instant.parse("2017-01-01T00:00:00Z");
    EvidenceException e =
        failure(
            () ->
                verifier.verify(tee(), VerificationContext.insecureWithoutBinding(early).build()));
    assertThat(e.ids()).containsExactly("android.chain.not-yet-valid");
  }

  @Test
  void truncatedDerIsMalformed() throws Exception {
    byte[] der = AndroidVectors.concat(AndroidVectors.der(AndroidVectors.tee()));
    for (int cut : new int[] {1, 100, der.length / 2, der.length - 1}) {
      byte[] truncated = Arrays.copyOf(der, cut);
      EvidenceException e = failure(() -> verifier.verify(truncated, at2020().build()));
      assertThat(e.ids()).as("cut at %d", cut).containsExactly("android.chain.malformed");
    }
  }

  @Test
  void emptyAndOversizedEvidenceHaveTheirOwnIds() {
    assertThat(failure(() -> verifier.verify(new byte[0], at2020().build())).ids())
        .containsExactly("android.chain.malformed");
    byte[] huge = new byte[AndroidKeyVerifier.MAX_BYTES + 1];
    assertThat(failure(() -> verifier.verify(huge, at2020().build())).ids())
        .containsExactly("android.evidence.too-large");
  }

  @Test
  void overLongKeyDescriptionLengthIsReportedBesideTheBrokenSignature() throws Exception {
    List<byte[]> der = AndroidVectors.der(AndroidVectors.tee());
    byte[] leaf = der.get(0).clone();
    int kd = AndroidVectors.keyDescriptionOffset(leaf);
    // KeyDescription: 30 82 LL LL | 02 01 03 | 0a 01 01 | 02 01 04 | 0a 01 01 | 04 03 'a' 'b' 'c'
    int challengeLength = kd + 4 + 12 + 1;
    assertThat(leaf[challengeLength]).isEqualTo((byte) 0x03);
    // One byte, so the certificate still parses; the challenge now claims 127 bytes.
    leaf[challengeLength] = 0x7f;
    byte[] chain = AndroidVectors.concat(List.of(leaf, der.get(1), der.get(2), der.get(3)));
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    chain, VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build()));
    assertThat(e.ids())
        .containsExactly(
            "android.chain.signature-invalid", "android.key-description.length-too-large");
  }

  @Test
  @Tag("exhaustive") // a tamper matrix: not run per mutant (docs/testing.md)
  void everyFlippedByteOfEveryCertificateIsRejected() throws Exception {
    List<byte[]> der = AndroidVectors.der(AndroidVectors.tee());
    VerificationContext ctx = VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build();
    for (int c = 0; c < der.size(); c++) {
      byte[] cert = der.get(c);
      int signatureStart = cert.length - signatureValueLength(cert);
      for (int i = 0; i < cert.length; i++) {
        byte[] flipped = cert.clone();
        flipped[i] ^= 0x01;
        List<byte[]> chain = new java.util.ArrayList<>(der);
        chain.set(c, flipped);
        byte[] evidence = AndroidVectors.concat(chain);
        int cc = c;
        int ii = i;
        EvidenceException e =
            failure(
                () -> {
                  verifier.verify(evidence, ctx);
                  throw new AssertionError(
                      "certificate " + cc + " byte " + ii + " flipped verified");
                });
        if (i >= signatureStart) {
          assertThat(e.ids())
              .as("certificate %d, signature byte %d", c, i)
              .containsAnyOf("android.chain.signature-invalid", "android.chain.malformed");
        }
      }
    }
  }

  @Test
  void aCarriedCopyOfThePinnedRootWithABrokenSelfSignatureIsRefused() throws Exception {
    // The chain's root has Google's pinned key, so it anchors by key; its own bytes are trusted
    // only through its self-signature, whose last byte is flipped here.
    List<byte[]> der = AndroidVectors.der(AndroidVectors.tee());
    byte[] root = der.get(3).clone();
    root[root.length - 1] ^= 0x01;
    byte[] chain = AndroidVectors.concat(List.of(der.get(0), der.get(1), der.get(2), root));
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    chain, VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build()));
    assertThat(e.ids()).containsExactly("android.chain.signature-invalid");
  }

  @Test
  void flippingTheAttestationChallengeBreaksSignatureAndChallenge() throws Exception {
    List<byte[]> der = AndroidVectors.der(AndroidVectors.tee());
    byte[] leaf = der.get(0).clone();
    int kd = AndroidVectors.keyDescriptionOffset(leaf);
    // KeyDescription: 30 82 LL LL | 02 01 03 | 0a 01 01 | 02 01 04 | 0a 01 01 | 04 03 'a' 'b' 'c'
    int challenge = kd + 4 + 12 + 2;
    assertThat(leaf[challenge]).isEqualTo((byte) 'a');
    leaf[challenge] = 'x';
    byte[] chain = AndroidVectors.concat(List.of(leaf, der.get(1), der.get(2), der.get(3)));
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    chain, VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE).build()));
    assertThat(e.ids())
        .containsExactly("android.chain.signature-invalid", "android.challenge.mismatch");
  }

  @Test
  void aRevokedIntermediateIsRejected() throws Exception {
    // Test-made status list (not Google's): it lists the TEE vector's intermediate certificate 1.
    X509Certificate intermediate = certs(AndroidVectors.tee()).get(1);
    String serial = intermediate.getSerialNumber().toString(16);
    assertThat(serial).isEqualTo("13206311789638820911");
    byte[] status =
        ("{\"entries\":{\""
                + serial.toUpperCase(java.util.Locale.ROOT)
                + "\":{\"status\":\"REVOKED\",\"reason\":\"KEY_COMPROMISE\"}}}")
            .getBytes(StandardCharsets.UTF_8);
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    tee(),
                    VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE)
                        .collateral(AttestationStatusList.COLLATERAL_NAME, status)
                        .build()));
    assertThat(e.ids()).containsExactly("android.chain.revoked");
    assertThat(e.getMessage()).contains("KEY_COMPROMISE").contains("certificate 1");
  }

  @Test
  void aSuspendedCertificateIsRejected() throws Exception {
    // Test-made status list listing the TEE vector's certificate 2 as suspended.
    String serial = certs(AndroidVectors.tee()).get(2).getSerialNumber().toString(16);
    byte[] status =
        ("{\"entries\":{\"" + serial + "\":{\"status\":\"SUSPENDED\",\"reason\":\"SUPERSEDED\"}}}")
            .getBytes(StandardCharsets.UTF_8);
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    tee(),
                    at2020().collateral(AttestationStatusList.COLLATERAL_NAME, status).build()));
    assertThat(e.ids()).containsExactly("android.chain.suspended");
  }

  @Test
  void aStatusListNotNamingTheChainLetsItVerify() throws Exception {
    // Test-made status list naming an unrelated serial number.
    byte[] status =
        "{\"entries\":{\"2c8cdddfd5e03bfc\":{\"status\":\"REVOKED\",\"reason\":\"KEY_COMPROMISE\"}}}"
            .getBytes(StandardCharsets.UTF_8);
    Claims c =
        verifier.verify(
            tee(), at2020().collateral(AttestationStatusList.COLLATERAL_NAME, status).build());
    assertThat(c.raw()).containsEntry("revocationStatus", "checked");
  }

  @Test
  void anUnreadableStatusListFailsClosed() throws Exception {
    for (String bad :
        List.of(
            "not json",
            "{}",
            "{\"entries\":{\"zz\":{\"status\":\"REVOKED\"}}}",
            "{\"entries\":{\"01\":{\"status\":\"FINE\"}}}")) {
      EvidenceException e =
          failure(
              () ->
                  verifier.verify(
                      tee(),
                      at2020()
                          .collateral(
                              AttestationStatusList.COLLATERAL_NAME,
                              bad.getBytes(StandardCharsets.UTF_8))
                          .build()));
      assertThat(e.ids()).as(bad).containsExactly("android.status.malformed");
    }
  }

  @Test
  void thePinnedKeysAreGooglesPublishedRoots() throws Exception {
    X509Certificate rsaRoot = certs(AndroidVectors.tee()).get(3);
    assertThat(GoogleAttestationRoots.of(rsaRoot)).contains(GoogleAttestationRoots.Root.RSA_4096);
    X509Certificate ecRoot;
    try (var in = Files.newInputStream(AndroidVectors.dir("google_key_attestation_ca1.pem"))) {
      ecRoot = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    ecRoot.verify(ecRoot.getPublicKey());
    assertThat(GoogleAttestationRoots.of(ecRoot)).contains(GoogleAttestationRoots.Root.EC_P384);
    assertThat(ecRoot.getSubjectX500Principal().getName()).contains("CN=Key Attestation CA1");
  }

  @Test
  void isRegisteredAsABuiltinFormat() throws Exception {
    assertThat(BuiltinFormats.registry().require("android-key"))
        .isInstanceOf(AndroidKeyVerifier.class);
  }

  /** Length of the signature BIT STRING's content, the last element of a certificate. */
  private static int signatureValueLength(byte[] cert) {
    // Certificate ::= SEQUENCE { tbs, algorithm, BIT STRING }; walk the outer elements.
    int p = headerLength(cert, 0);
    int last = p;
    while (p < cert.length) {
      last = p;
      p += headerLength(cert, p) + contentLength(cert, p);
    }
    return contentLength(cert, last);
  }

  private static int headerLength(byte[] d, int p) {
    int first = d[p + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static int contentLength(byte[] d, int p) {
    int first = d[p + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int len = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      len = (len << 8) | (d[p + 2 + i] & 0xff);
    }
    return len;
  }

  private static List<X509Certificate> certs(Path dir) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new java.util.ArrayList<>();
    for (byte[] d : AndroidVectors.der(dir)) {
      out.add((X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(d)));
    }
    return out;
  }

  @Test
  void aChainWithoutTheAttestationExtensionHasNoKeyDescription() throws Exception {
    java.security.KeyPair k = dev.arca.evidence.testing.TestPki.p256();
    X509Certificate plain =
        dev.arca.evidence.testing.TestPki.cert("CN=No Attestation", k)
            .ca(true)
            .valid(VECTOR_TIME.minusSeconds(86_400), VECTOR_TIME.plusSeconds(86_400))
            .build();
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    plain.getEncoded(),
                    VerificationContext.expectingNonce(VECTOR_TIME, CHALLENGE)
                        .trustAnchor(plain)
                        .build()));
    assertThat(e.ids()).containsExactly("android.key-description.missing");
  }

  @Test
  void aStatusEntryWithoutReasonIsReportedWithoutOne() throws Exception {
    String serial = certs(AndroidVectors.tee()).get(2).getSerialNumber().toString(16);
    byte[] status =
        ("{\"entries\":{\"" + serial + "\":{\"status\":\"REVOKED\"}}}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(AttestationStatusList.parse(status).size()).isEqualTo(1);
    EvidenceException e =
        failure(
            () ->
                verifier.verify(
                    tee(),
                    at2020().collateral(AttestationStatusList.COLLATERAL_NAME, status).build()));
    assertThat(e.ids()).containsExactly("android.chain.revoked");
    assertThat(e.getMessage())
        .contains("is REVOKED in the attestation status list")
        .doesNotContain("reason");
  }
}
