// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.nitro;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.TestCoseSigner;
import dev.arca.evidence.internal.CertificateChains;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipInputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class NitroVerifierTest {
  /** The document's own timestamp: the leaf certificate lives three hours around it. */
  static final Instant AT = Instant.parse("2024-09-07T14:37:39.545Z");

  private static final byte[] ONES = filled(1024, (byte) 1);
  private final NitroVerifier verifier = new NitroVerifier();
  private final byte[] document = resource("nitro/nitro_attestation.cbor");

  static byte[] resource(String name) {
    try (InputStream in = NitroVerifierTest.class.getResourceAsStream("/vectors/" + name)) {
      return in.readAllBytes();
    } catch (Exception e) {
      throw new IllegalStateException(name, e);
    }
  }

  static byte[] filled(int n, byte b) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }

  private static VerificationContext at(Instant t) {
    return VerificationContext.insecureWithoutBinding(t).build();
  }

  private static void assertIds(ThrowingCallable call, String... ids) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly(ids));
  }

  @Test
  void realDocumentVerifiesAtItsTimeWithItsClaims() throws Exception {
    Claims c = verifier.verify(document, VerificationContext.expectingNonce(AT, ONES).build());
    assertThat(verifier.verify(document, VerificationContext.expectingReportData(AT, ONES).build()))
        .isEqualTo(c);
    assertThat(c.format()).isEqualTo("nitro");
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.deviceIdentity()).isEqualTo("i-0a22e5c5f24d22174-enc0191cceb4289903f");
    assertThat(c.measurements()).hasSize(16);
    assertThat(c.measurements().get("PCR0")).startsWith("e72a46ca80a260fb").hasSize(96);
    assertThat(c.measurements().get("PCR3")).isEqualTo("0".repeat(96));
    assertThat(c.debug()).isFalse();
    assertThat(c.insecureFlags()).isEmpty();
    assertThat(c.reportData()).isEqualTo(ONES);
    assertThat(c.raw())
        .containsEntry("timestamp", 1725719859545L)
        .containsEntry("timestampIso", "2024-09-07T14:37:39.545Z")
        .containsEntry("digest", "SHA384")
        .containsEntry("cabundleLength", 4)
        .containsEntry("nonce", "01".repeat(1024))
        .containsEntry("public_key", "01".repeat(1024))
        .containsEntry("root", "CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.AFFIRMING);
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.INSTANCE_IDENTITY))
        .isEqualTo(Trustworthiness.AFFIRMING);
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.EXECUTABLES))
        .isEqualTo(Trustworthiness.NO_CLAIM);
    assertThat(BuiltinFormats.registry().require("nitro")).isInstanceOf(NitroVerifier.class);
  }

  @Test
  void pinnedRootIsTheOneInAwsPublishedZip() throws Exception {
    byte[] zip = resource("nitro/AWS_NitroEnclaves_Root-G1.zip");
    String expected =
        new String(resource("nitro/AWS_NitroEnclaves_Root-G1.sha256.hex"), UTF_8).strip();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip)))
        .isEqualTo(expected);
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
      assertThat(z.getNextEntry().getName()).isEqualTo("root.pem");
      X509Certificate fromZip = CertificateChains.parse(z.readAllBytes(), "test").get(0);
      assertThat(NitroVerifier.pinnedRoots()).containsExactly(fromZip);
    }
  }

  @Test
  void expiredAtTheRealTime() {
    assertIds(
        () -> verifier.verify(document, at(Instant.parse("2026-01-01T00:00:00Z"))),
        "nitro.chain.expired");
    assertIds(
        () -> verifier.verify(document, at(Instant.parse("2024-09-07T10:00:00Z"))),
        "nitro.chain.not-yet-valid");
  }

  @Test
  void wrongNonceAndWrongReportDataAreReported() {
    byte[] other = filled(1024, (byte) 2);
    assertIds(
        () -> verifier.verify(document, VerificationContext.expectingNonce(AT, other).build()),
        "nitro.nonce.mismatch");
    assertIds(
        () -> verifier.verify(document, VerificationContext.expectingReportData(AT, other).build()),
        "nitro.report-data.mismatch");
  }

  @Test
  void unknownRootIsRejected() throws Exception {
    TestNitroDocuments test = new TestNitroDocuments(AT.minusSeconds(60), AT.plusSeconds(60));
    assertIds(
        () ->
            verifier.verify(
                document,
                VerificationContext.insecureWithoutBinding(AT)
                    .trustAnchor(test.root)
                    .replacePinnedAnchors(true)
                    .build()),
        "nitro.chain.untrusted-root");
    // A document from another CA is refused against the pinned AWS root.
    byte[] foreign = test.document(pcrs((byte) 7), ONES, ONES);
    assertIds(() -> verifier.verify(foreign, at(AT)), "nitro.chain.untrusted-root");
  }

  @Test
  void debugEnclaveIsFlaggedWithContraindicatedExecutables() throws Exception {
    // No AWS-signed debug document exists in public; a test CA signs one (PCR0..2 zero).
    TestNitroDocuments test = new TestNitroDocuments(AT.minusSeconds(60), AT.plusSeconds(60));
    byte[] debugDoc = test.document(pcrs((byte) 0), ONES, ONES);
    Claims c =
        verifier.verify(
            debugDoc,
            VerificationContext.insecureWithoutBinding(AT)
                .trustAnchor(test.root)
                .replacePinnedAnchors(true)
                .build());
    assertThat(c.debug()).isTrue();
    assertThat(c.insecureFlags()).containsExactly("nitro.debug-enclave");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.EXECUTABLES))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
    assertThat(c.trustworthiness().tier()).isEqualTo(Trustworthiness.Tier.CONTRAINDICATED);
    Claims normal =
        verifier.verify(
            test.document(pcrs((byte) 5), ONES, ONES),
            VerificationContext.insecureWithoutBinding(AT)
                .trustAnchor(test.root)
                .replacePinnedAnchors(true)
                .build());
    assertThat(normal.debug()).isFalse();
  }

  @Test
  void aCarriedCopyOfTheRootThatIsNotSelfSignedBreaksTheChain() throws Exception {
    TestNitroDocuments test = new TestNitroDocuments(AT.minusSeconds(60), AT.plusSeconds(60));
    // The root's names and key, but signed by another key: an edited copy of the trusted root.
    X509Certificate edited =
        TestNitroDocuments.cert(
            "CN=test nitro root",
            test.root.getPublicKey(),
            "CN=test nitro root",
            TestCoseSigner.generate(CoseAlgorithm.ES384).getPrivate(),
            true,
            AT.minusSeconds(60),
            AT.plusSeconds(60));
    VerificationContext ctx =
        VerificationContext.insecureWithoutBinding(AT)
            .trustAnchor(test.root)
            .replacePinnedAnchors(true)
            .build();
    assertIds(
        () -> verifier.verify(test.document(pcrs((byte) 5), ONES, ONES, edited), ctx),
        "nitro.chain.signature-invalid");
  }

  private static Map<Integer, byte[]> pcrs(byte first3) {
    Map<Integer, byte[]> m = new TreeMap<>();
    for (int i = 0; i < 5; i++) {
      m.put(i, filled(48, i <= 2 ? first3 : (byte) 0));
    }
    return m;
  }

  @Test
  void everyFlippedSignatureByteFailsTheSignature() {
    int sigStart = document.length - 96;
    for (int i = sigStart; i < document.length; i++) {
      byte[] bad = document.clone();
      bad[i] ^= 0x01;
      assertIds(() -> verifier.verify(bad, at(AT)), "nitro.signature.invalid");
    }
  }

  @Test
  @Tag("exhaustive") // a tamper matrix: not run per mutant (docs/testing.md)
  void everyFlippedPayloadByteIsRejected() throws Exception {
    VerificationContext ctx = at(AT);
    boolean[] inCertificate = new boolean[document.length];
    for (byte[] cert : certificatesInDocument()) {
      int start = indexOf(document, cert);
      Arrays.fill(inCertificate, start, start + cert.length, true);
    }
    // Certificate bytes have their own test below; every other byte of the body is flipped here.
    for (int i = 0; i < document.length - 96; i++) {
      if (inCertificate[i]) {
        continue;
      }
      byte[] bad = document.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThatThrownBy(() -> verifier.verify(bad, ctx))
          .as("flip at byte %d", at)
          .isInstanceOfSatisfying(
              EvidenceException.class,
              e -> assertThat(e.ids()).allMatch(id -> id.startsWith("nitro.")));
    }
  }

  @Test
  @Tag("exhaustive") // a tamper matrix: not run per mutant (docs/testing.md)
  void flippedCertificateBytesBreakTheChainAsWellAsTheSignature() throws Exception {
    VerificationContext ctx = at(AT);
    List<byte[]> certs = certificatesInDocument();
    // certs: leaf, then cabundle[0..n]; cabundle[0] is trusted by key (its own bytes are not
    // checked), so a flip there shows only as the document signature failing.
    for (int c = 0; c < certs.size(); c++) {
      int start = indexOf(document, certs.get(c));
      boolean chainChecked = c != 1;
      for (int i = start; i < start + certs.get(c).length; i += 7) {
        byte[] bad = document.clone();
        bad[i] ^= 0x01;
        int at = i;
        assertThatThrownBy(() -> verifier.verify(bad, ctx))
            .as("flip at byte %d", at)
            .isInstanceOfSatisfying(
                EvidenceException.class,
                e -> {
                  if (chainChecked) {
                    assertThat(e.ids()).anyMatch(id -> id.startsWith("nitro.chain."));
                  }
                  if (!e.ids().contains("nitro.chain.malformed")) {
                    // The leaf's key changed: the signature fails, or the key is no P-384 key.
                    assertThat(e.ids())
                        .containsAnyOf("nitro.signature.invalid", "nitro.cose.key-mismatch");
                  }
                });
      }
    }
  }

  @Test
  void truncatedDocumentAndOverLongLengthHaveTheirOwnIds() {
    // Cut right after the payload: the four-item array lacks its signature.
    byte[] noSignature = Arrays.copyOf(document, document.length - 98);
    assertIds(() -> verifier.verify(noSignature, at(AT)), "nitro.cbor.truncated");
    // The payload's 2-byte length (59 xx xx at offset 7) set to 0xffff: beyond the input.
    assertThat(document[7] & 0xff).isEqualTo(0x59);
    byte[] overLong = document.clone();
    overLong[8] = (byte) 0xff;
    overLong[9] = (byte) 0xff;
    assertIds(() -> verifier.verify(overLong, at(AT)), "nitro.cbor.length-too-large");
    for (int cut = 1; cut < document.length; cut += 97) {
      byte[] prefix = Arrays.copyOf(document, cut);
      assertThatThrownBy(() -> verifier.verify(prefix, at(AT)))
          .isInstanceOfSatisfying(
              EvidenceException.class,
              e ->
                  assertThat(e.ids())
                      .containsAnyOf("nitro.cbor.truncated", "nitro.cbor.length-too-large"));
    }
    assertIds(
        () -> verifier.verify(new byte[NitroVerifier.MAX_BYTES + 1], at(AT)),
        "nitro.document.too-large");
  }

  private List<byte[]> certificatesInDocument() throws Exception {
    var cose =
        dev.arca.evidence.cose.CoseSign1.decode(
            document, dev.arca.evidence.cbor.CborDecoder.strict());
    NitroDocument doc =
        NitroDocument.parse(dev.arca.evidence.cbor.CborDecoder.strict().decode(cose.payload()));
    List<byte[]> all = new java.util.ArrayList<>();
    all.add(doc.certificate());
    all.addAll(doc.caBundle());
    return all;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void aDocumentWithoutNonceOrUserDataFailsAnExpectedBinding() throws Exception {
    TestNitroDocuments test = new TestNitroDocuments(AT.minusSeconds(60), AT.plusSeconds(60));
    byte[] bare = test.document(pcrs((byte) 5), null, null);
    assertIds(
        () ->
            verifier.verify(
                bare,
                VerificationContext.expectingNonce(AT, ONES)
                    .trustAnchor(test.root)
                    .replacePinnedAnchors(true)
                    .build()),
        "nitro.nonce.mismatch");
    assertIds(
        () ->
            verifier.verify(
                bare,
                VerificationContext.expectingReportData(AT, ONES)
                    .trustAnchor(test.root)
                    .replacePinnedAnchors(true)
                    .build()),
        "nitro.report-data.mismatch");
  }

  @Test
  void aDocumentSignedWithAnotherAlgorithmThanEs384IsRefused() throws Exception {
    byte[] doc = document.clone();
    // The protected header {1: -35} (ES384) as {1: -36} (ES512): same length, other algorithm.
    assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(doc, 1, 6))).isEqualTo("44a1013822");
    doc[5] = 0x23;
    assertIds(() -> verifier.verify(doc, at(AT)), "nitro.cose.unsupported-algorithm");
  }

  @Test
  void aDocumentOfExactlyTheSizeLimitIsParsed() {
    // Not refused for its size: the first zero byte is a whole CBOR item, the rest trails it.
    byte[] atLimit = new byte[NitroVerifier.MAX_BYTES];
    assertThatThrownBy(() -> verifier.verify(atLimit, at(AT)))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("nitro.cbor.trailing-bytes"));
  }

  @Test
  void onlyPcr0To2AllZeroMeanADebugEnclave() {
    byte[] zero = new byte[48];
    byte[] five = filled(48, (byte) 5);
    assertThat(NitroVerifier.isDebug(Map.of(0, zero, 1, zero, 2, zero))).isTrue();
    assertThat(NitroVerifier.isDebug(Map.of(0, zero, 1, zero, 2, five))).isFalse();
    assertThat(NitroVerifier.isDebug(Map.of(0, zero, 1, zero))).isFalse();
  }
}
