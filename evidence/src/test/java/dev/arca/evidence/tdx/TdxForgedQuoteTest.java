// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Quotes whose TD body differs from the real vector's (report data, debug, TD attributes, SEAM
 * attributes, a TDX 1.5 body) or whose PCK differs (key type, extensions). Intel's keys cannot sign
 * them, so {@link TestTdxQuotes}'s test PKI stands in for the platform (its root trusted next to
 * the pinned Intel root); Intel's real TCB info and QE identity stay as they are, the two CRLs are
 * the test CAs'.
 */
class TdxForgedQuoteTest {
  private static final byte[] QUOTE = TdxVerifierTest.QUOTE;
  private static final int V4_SIGNED = TestTdxQuotes.V4_SIGNED;
  // TD report body offsets (TDX 1.0): SEAM attributes at 112, TD attributes at 120.
  private static final int SEAM_ATTRIBUTES = TestTdxQuotes.BODY + 112;
  private static final int TD_ATTRIBUTES = TestTdxQuotes.TD_ATTRIBUTES;

  private final TdxVerifier verifier = new TdxVerifier();
  private final TestTdxQuotes platform = new TestTdxQuotes();

  private byte[] quote(Consumer<byte[]> edit) {
    return platform.quote(edit);
  }

  private byte[] quote(byte[] signed, KeyPair pckKey, X509Certificate pck) {
    return platform.quote(signed, pckKey, pck);
  }

  private X509Certificate pck(KeyPair key, byte[] sgxExtensions) {
    return platform.pck(key, sgxExtensions);
  }

  private static byte[] sgxExtensions() {
    return TestTdxQuotes.sgxExtensions();
  }

  private VerificationContext context() {
    return context(VerificationContext.insecureWithoutBinding(TestTdxQuotes.VECTOR_TIME));
  }

  private VerificationContext context(byte[] reportData) {
    return context(VerificationContext.expectingReportData(TestTdxQuotes.VECTOR_TIME, reportData));
  }

  private VerificationContext context(VerificationContext.Builder b) {
    platform.collateral(TestTdxQuotes.VECTOR_TIME).forEach(b::collateral);
    return b.trustAnchor(platform.root()).build();
  }

  private List<String> ids(byte[] quote) throws Exception {
    try {
      verifier.verify(quote, context());
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void aShortExpectationBindsTheFirstBytesAndZerosInTheRest() throws Exception {
    // Arca's runtime writes 32 bytes of report data and 32 zeros into REPORTDATA (configfs-tsm).
    byte[] expected = new byte[32];
    Arrays.fill(expected, (byte) 0x5c);
    byte[] padded = Arrays.copyOf(expected, 64);
    Claims c = verifier.verify(platform.quote(padded, false), context(expected));
    assertThat(c.reportData()).isEqualTo(padded);

    byte[] secondHalfUsed = padded.clone();
    secondHalfUsed[63] = 1; // first 32 bytes still match
    try {
      verifier.verify(platform.quote(secondHalfUsed, false), context(expected));
      throw new AssertionError("a non-zero byte after the expected report data was accepted");
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("tdx.report-data.mismatch");
      assertThat(e.getMessage())
          .contains("the first 32 bytes were compared with the expected report data")
          .contains("the other 32 with zeros");
    }
  }

  @Test
  void testQuotesVerifyAndClaimWhatTheyWereMadeWith() throws Exception {
    byte[] reportData = new byte[64];
    Arrays.fill(reportData, (byte) 0x3e);
    String mrTd = HexFormat.of().formatHex(TdxQuote.parse(QUOTE).body().mrTd());
    for (boolean debug : List.of(false, true)) {
      Claims c = verifier.verify(platform.quote(reportData, debug), context(reportData));
      assertThat(c.debug()).isEqualTo(debug);
      assertThat(c.reportData()).isEqualTo(reportData);
      assertThat(c.measurements()).containsEntry("mrtd", mrTd);
      assertThat(c.insecureFlags())
          .isEqualTo(
              debug
                  ? List.of("tdx.td.debug", "tdx.tcb.tcb-level-not-found")
                  : List.of("tdx.tcb.tcb-level-not-found"));
      assertThat(c.hardwareRooted()).isTrue();
    }
    // Without the test root, the platform is nobody's.
    VerificationContext.Builder untrusted =
        VerificationContext.expectingReportData(TestTdxQuotes.VECTOR_TIME, reportData);
    platform.collateral(TestTdxQuotes.VECTOR_TIME).forEach(untrusted::collateral);
    try {
      verifier.verify(platform.quote(reportData, false), untrusted.build());
      throw new AssertionError("a quote under the test root verified without it");
    } catch (EvidenceException e) {
      assertThat(e.ids()).contains("tdx.pck.chain.untrusted-root");
    }
  }

  @Test
  void aTestPlatformOfItsOwnPpidIsAnotherDevice() throws Exception {
    String ppid = "0123456789abcdef0123456789abcdef";
    TestTdxQuotes own = new TestTdxQuotes(ppid);
    byte[] reportData = new byte[64];
    VerificationContext.Builder b =
        VerificationContext.expectingReportData(TestTdxQuotes.VECTOR_TIME, reportData);
    own.collateral(TestTdxQuotes.VECTOR_TIME).forEach(b::collateral);
    Claims c = verifier.verify(own.quote(reportData, false), b.trustAnchor(own.root()).build());
    assertThat(c.deviceIdentity()).isEqualTo("tdx:ppid:" + ppid);
    assertThat(ppid).isNotEqualTo(TestTdxQuotes.vectorPpid());
    // Intel's collateral for the real FMSPC still applies to it.
    assertThat(c.insecureFlags()).containsExactly("tdx.tcb.tcb-level-not-found");
  }

  @Test
  void theUneditedBodySignedUnderTheTestRootVerifies() throws Exception {
    // The control: the test platform alone causes none of the refusals or claims below.
    Claims c = verifier.verify(quote(body -> {}), context());
    assertThat(c.debug()).isFalse();
    assertThat(c.insecureFlags()).containsExactly("tdx.tcb.tcb-level-not-found");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.NO_CLAIM);
  }

  @Test
  void aDebugTdIsFlaggedAndItsConfigurationContraindicated() throws Exception {
    // TD attributes: DEBUG (bit 0), SEPT_VE_DISABLE (28), KL (31), PERFMON (63); PKS (30) off.
    long attributes = 1L | 1L << 28 | 1L << 31 | 1L << 63;
    Claims c =
        verifier.verify(
            quote(
                body ->
                    ByteBuffer.wrap(body)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(TD_ATTRIBUTES, attributes)),
            context());
    assertThat(c.debug()).isTrue();
    assertThat(c.insecureFlags()).containsExactly("tdx.td.debug", "tdx.tcb.tcb-level-not-found");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
    assertThat(c.raw().get("tdAttributes"))
        .isEqualTo(
            Map.of(
                "raw", "8000000090000001",
                "debug", true,
                "septVeDisable", true,
                "pks", false,
                "kl", true,
                "perfmon", true));
  }

  @Test
  void seamAttributesOtherThanTheTcbInfosTdxModuleAreRefused() throws Exception {
    // Intel's TCB info wants all SEAM attributes zero (mask all ones); this sets the top byte.
    assertThat(
            ids(
                quote(
                    body ->
                        ByteBuffer.wrap(body)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(SEAM_ATTRIBUTES, 0x0200000000000000L))))
        .containsExactly("tdx.tcb-info.tdx-module-mismatch");
  }

  @Test
  void aTdx15BodyClaimsItsServiceTdMeasurement() throws Exception {
    byte[] v5 = TdxVerifierTest.asV5(QUOTE, 3, 64);
    byte[] signed = Arrays.copyOf(v5, 48 + 6 + 584 + 64);
    Arrays.fill(signed, 48 + 6 + 584 + 16, signed.length, (byte) 0x5a); // MRSERVICETD
    KeyPair pckKey = TestPki.p256();
    Claims c = verifier.verify(quote(signed, pckKey, pck(pckKey, sgxExtensions())), context());
    String serviceTd = "5a".repeat(48);
    assertThat(c.raw())
        .containsEntry("version", 5)
        .containsEntry("tdxModule", "1.5")
        .containsEntry("mrServiceTd", serviceTd)
        .containsEntry("teeTcbSvn2", "00".repeat(16));
    assertThat(c.measurements()).containsEntry("mrservicetd", serviceTd);
  }

  @Test
  void aPckWhoseKeyIsNotP256IsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = g.generateKeyPair();
    byte[] q = quote(Arrays.copyOf(QUOTE, V4_SIGNED), TestPki.p256(), pck(p384, sgxExtensions()));
    assertThat(ids(q)).containsExactly("tdx.pck.not-p256");
  }

  @Test
  void aPckWithMalformedSgxExtensionsIsRefused() throws Exception {
    KeyPair pckKey = TestPki.p256();
    byte[] q = quote(Arrays.copyOf(QUOTE, V4_SIGNED), pckKey, pck(pckKey, new byte[] {0x30, 0x00}));
    assertThat(ids(q)).containsExactly("tdx.pck.extension-malformed");
  }
}
