// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real Sapphire Rapids v4 quote and its collateral from go-tdx-guest (vectors/tdx). */
class TdxVerifierTest {
  static final Instant AT = Instant.parse("2023-07-01T00:00:00Z");
  static final byte[] QUOTE = resource("tdx_prod_quote_SPR_E4.dat");
  static final List<String> COLLATERAL =
      List.of(
          "sample_tcbInfo_response",
          "tcbinfo_issuer_chain.pem",
          "sample_qeIdentity_response",
          "qeidentity_issuer_chain.pem",
          "pckcrl",
          "rootcrl.der");

  private final TdxVerifier verifier = new TdxVerifier();

  static byte[] resource(String name) {
    try (InputStream in = TdxVerifierTest.class.getResourceAsStream("/vectors/tdx/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, byte[]> collateral() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    COLLATERAL.forEach(n -> m.put(n, resource(n)));
    return m;
  }

  static VerificationContext.Builder context(Instant at, Map<String, byte[]> collateral) {
    VerificationContext.Builder b = VerificationContext.insecureWithoutBinding(at);
    collateral.forEach(b::collateral);
    return b;
  }

  static VerificationContext.Builder context(Instant at) {
    return context(at, collateral());
  }

  /** Adds the shared collateral to a context that already names its binding. */
  static VerificationContext.Builder withCollateral(VerificationContext.Builder b) {
    collateral().forEach(b::collateral);
    return b;
  }

  private EvidenceException failure(byte[] quote, VerificationContext ctx) {
    try {
      verifier.verify(quote, ctx);
    } catch (EvidenceException e) {
      return e;
    }
    throw new AssertionError("verification should have failed at byte " + firstDifference(quote));
  }

  private static int firstDifference(byte[] quote) {
    for (int i = 0; i < Math.min(quote.length, QUOTE.length); i++) {
      if (quote[i] != QUOTE[i]) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void realQuoteVerifiesWithItsCollateral() throws Exception {
    Claims c = verifier.verify(QUOTE, context(AT).build());
    assertThat(c.format()).isEqualTo("tdx");
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.debug()).isFalse();
    assertThat(c.raw())
        .containsEntry("version", 4)
        .containsEntry("bodyType", 2)
        .containsEntry("fmspc", "50806f000000")
        .containsEntry("pceId", "0000")
        .containsEntry("teeTcbSvn", "03000400000000000000000000000000")
        .containsEntry("xfam", "0000000000061ae7")
        .containsEntry("trailingBytes", 39);
    assertThat(c.measurements().keySet())
        .containsExactlyInAnyOrder(
            "mrtd",
            "rtmr0",
            "rtmr1",
            "rtmr2",
            "rtmr3",
            "mrseam",
            "mrsignerseam",
            "mrconfigid",
            "mrowner",
            "mrownerconfig");
    assertThat(c.measurements().get("mrseam")).startsWith("2fd279c16164a93d");
    assertThat(c.reportData()).hasSize(64);
    // The QE is at the identity's only level (ISV SVN 4: UpToDate). The sample TCB info lists
    // levels above this platform (PCK SGX SVNs 3,3,2,2,2,1,0,2 < 5,5,2,2,3,1,0,3; TEE TCB SVN
    // 3.0.4 < 3.0.5), so Intel does not cover its TCB: TcbLevelNotFound, hardware contraindicated.
    assertThat(c.tcb())
        .containsEntry("qeTcbStatus", "UpToDate")
        .containsEntry("platformTcbStatus", "TcbLevelNotFound")
        .containsEntry("tcbStatus", "TcbLevelNotFound")
        .containsEntry("pceSvn", "11")
        .containsEntry("tcbEvaluationDataNumber", "15");
    assertThat(c.insecureFlags()).containsExactly("tdx.tcb.tcb-level-not-found");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
  }

  @Test
  void reportDataAndNonceAreChecked() throws Exception {
    byte[] rd =
        HexFormat.of()
            .parseHex((String) verifier.verify(QUOTE, context(AT).build()).raw().get("reportData"));
    assertThat(
            verifier
                .verify(
                    QUOTE, withCollateral(VerificationContext.expectingReportData(AT, rd)).build())
                .reportData())
        .isEqualTo(rd);
    assertThat(
            verifier
                .verify(
                    QUOTE,
                    withCollateral(VerificationContext.expectingNonce(AT, Arrays.copyOf(rd, 32)))
                        .build())
                .reportData())
        .isEqualTo(rd);
    byte[] wrong = rd.clone();
    wrong[0] ^= 1;
    assertThat(
            failure(
                    QUOTE,
                    withCollateral(VerificationContext.expectingReportData(AT, wrong)).build())
                .ids())
        .containsExactly("tdx.report-data.mismatch");
    assertThat(
            failure(
                    QUOTE,
                    withCollateral(VerificationContext.expectingNonce(AT, Arrays.copyOf(wrong, 8)))
                        .build())
                .ids())
        .containsExactly("tdx.nonce.mismatch");
  }

  @Test
  void isRegisteredAsABuiltinFormat() throws Exception {
    assertThat(BuiltinFormats.registry().require("tdx")).isInstanceOf(TdxVerifier.class);
  }

  @Test
  void missingCollateralFailsClosed() {
    assertThatThrownBy(
            () -> verifier.verify(QUOTE, VerificationContext.insecureWithoutBinding(AT).build()))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tdx.collateral.missing"));
  }

  @Test
  @Tag("exhaustive") // a tamper matrix: not run per mutant (docs/testing.md)
  void everyFlippedQuoteByteIsRejected() {
    VerificationContext ctx = context(AT).build();
    int end = QUOTE.length - 39; // the 39 trailing bytes are outside the quote (see TdxQuote)
    for (int i = 0; i < end; i++) {
      byte[] bad = QUOTE.clone();
      bad[i] ^= 0x01;
      EvidenceException e = failure(bad, ctx);
      if (i >= 48 && i < 632) {
        assertThat(e.ids()).as("body byte %d", i).contains("tdx.signature.invalid");
      } else if (i >= 636 && i < 700) {
        assertThat(e.ids()).as("signature byte %d", i).containsExactly("tdx.signature.invalid");
      } else if (i >= 770 && i < 770 + 384) {
        assertThat(e.ids()).as("QE report byte %d", i).contains("tdx.qe-report.signature-invalid");
      } else if (i >= 1154 && i < 1218) {
        assertThat(e.ids())
            .as("QE report signature byte %d", i)
            .containsExactly("tdx.qe-report.signature-invalid");
      }
    }
  }

  @Test
  @Tag("exhaustive") // a tamper matrix: not run per mutant (docs/testing.md)
  void everyFlippedCollateralByteIsRejected() {
    List<String> accepted = new java.util.ArrayList<>();
    for (String name : COLLATERAL) {
      byte[] original = resource(name);
      for (int i = 0; i < original.length; i++) {
        Map<String, byte[]> c = collateral();
        byte[] bad = original.clone();
        bad[i] ^= 0x01;
        c.put(name, bad);
        try {
          verifier.verify(QUOTE, context(AT, c).build());
          accepted.add(name + "@" + i);
        } catch (EvidenceException expected) {
          // every flip must land here
        }
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void collateralSignaturesHaveTheirOwnIds() {
    Map<String, byte[]> c = collateral();
    String tcb =
        new String(c.get("sample_tcbInfo_response"), java.nio.charset.StandardCharsets.UTF_8);
    c.put(
        "sample_tcbInfo_response",
        tcb.replace("\"signature\":\"f6", "\"signature\":\"f7")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String qe =
        new String(c.get("sample_qeIdentity_response"), java.nio.charset.StandardCharsets.UTF_8);
    c.put(
        "sample_qeIdentity_response",
        qe.replace("\"isvprodid\":2", "\"isvprodid\":3")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(failure(QUOTE, context(AT, c).build()).ids())
        .containsExactly("tdx.tcb-info.signature-invalid", "tdx.qe-identity.signature-invalid");
  }

  @Test
  void expiredCollateralAtTheRealTimeHasItsOwnIds() {
    EvidenceException e = failure(QUOTE, context(Instant.parse("2026-01-01T00:00:00Z")).build());
    assertThat(e.ids())
        .contains(
            "tdx.pck-crl.expired",
            "tdx.root-crl.expired",
            "tdx.tcb-info.expired",
            "tdx.qe-identity.expired",
            "tdx.tcb-info.chain.expired",
            "tdx.qe-identity.chain.expired");
  }

  @Test
  void unknownRootIsRejected() throws Exception {
    var genoaArk =
        dev.arca.evidence.internal.CertificateChains.parse(
                TdxVerifierTest.class
                    .getResourceAsStream("/vectors/sev-snp/ask_ark_genoa.pem")
                    .readAllBytes(),
                "t")
            .get(1);
    EvidenceException e =
        failure(QUOTE, context(AT).trustAnchor(genoaArk).replacePinnedAnchors(true).build());
    assertThat(e.ids())
        .contains(
            "tdx.pck.chain.untrusted-root",
            "tdx.tcb-info.chain.untrusted-root",
            "tdx.qe-identity.chain.untrusted-root");
  }

  @Test
  void truncatedAndOverlongStructuresHaveTheirOwnIds() {
    VerificationContext ctx = context(AT).build();
    assertThat(failure(Arrays.copyOf(QUOTE, 40), ctx).ids()).containsExactly("tdx.quote.truncated");
    assertThat(failure(Arrays.copyOf(QUOTE, 700), ctx).ids())
        .containsExactly("tdx.quote.length-too-large");
    byte[] longSig = QUOTE.clone();
    longSig[635] = 0x7f; // signature data length
    assertThat(failure(longSig, ctx).ids()).containsExactly("tdx.quote.length-too-large");
    byte[] longAuth = QUOTE.clone();
    longAuth[1218] = (byte) 0xff; // QE auth data length
    longAuth[1219] = (byte) 0xff;
    assertThat(failure(longAuth, ctx).ids()).containsExactly("tdx.quote.length-too-large");
    byte[] shortCert = QUOTE.clone();
    shortCert[766] = (byte) (shortCert[766] - 1); // outer certification data size, one short
    assertThat(failure(shortCert, ctx).ids()).containsExactly("tdx.quote.length-mismatch");
    byte[] v3 = QUOTE.clone();
    v3[0] = 3;
    assertThat(failure(v3, ctx).ids()).containsExactly("tdx.quote.unsupported-version");
    byte[] sgx = QUOTE.clone();
    sgx[4] = 0;
    assertThat(failure(sgx, ctx).ids()).containsExactly("tdx.quote.not-tdx");
  }

  /** A v5 quote built from the v4 vector by inserting body type and size (layout test only). */
  static byte[] asV5(byte[] v4, int bodyType, int extraBodyBytes) {
    byte[] head = Arrays.copyOf(v4, 48);
    head[0] = 5;
    int size = 584 + extraBodyBytes;
    byte[] typeSize = {(byte) bodyType, 0, (byte) size, (byte) (size >>> 8), 0, 0};
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(head);
    out.writeBytes(typeSize);
    out.writeBytes(Arrays.copyOfRange(v4, 48, 632));
    out.writeBytes(new byte[extraBodyBytes]);
    out.writeBytes(Arrays.copyOfRange(v4, 632, v4.length));
    return out.toByteArray();
  }

  @Test
  void versionFiveLayoutsParse() throws Exception {
    // No real v5 quote is available: these are built from the v4 vector for the parser only. Their
    // signatures cannot hold (the signed bytes changed), and the verifier says so.
    TdxQuote v5 = TdxQuote.parse(asV5(QUOTE, 2, 0));
    TdxQuote v4 = TdxQuote.parse(QUOTE);
    assertThat(v5.version()).isEqualTo(5);
    assertThat(v5.bodyType()).isEqualTo(2);
    assertThat(v5.body().mrTd()).isEqualTo(v4.body().mrTd());
    assertThat(v5.signedBytes()).hasSize(48 + 6 + 584);
    TdxQuote v15 = TdxQuote.parse(asV5(QUOTE, 3, 64));
    assertThat(v15.body().isTdx15()).isTrue();
    assertThat(v15.body().mrServiceTd()).hasSize(48);
    assertThat(failure(asV5(QUOTE, 2, 0), context(AT).build()).ids())
        .containsExactly("tdx.signature.invalid");
    assertThat(failure(asV5(QUOTE, 3, 0), context(AT).build()).ids())
        .containsExactly("tdx.quote.body-size-mismatch");
    assertThat(failure(asV5(QUOTE, 9, 0), context(AT).build()).ids())
        .containsExactly("tdx.quote.unsupported-body-type");
  }

  /** The quote with one byte changed. */
  private static byte[] flipped(int offset) {
    byte[] q = QUOTE.clone();
    q[offset] ^= 0x01;
    return q;
  }

  // Offsets in the v4 vector: signature data length at 632, quote signature 636..700,
  // attestation key 700..764, QE report 770..1154, its signature 1154..1218, QE auth data length
  // 1218 (32 bytes follow), then the certification data (type 5: the PCK chain as PEM).
  private static final int QE_REPORT_SIGNATURE = 1154;
  private static final int QE_AUTH_DATA = 1220;
  private static final int ATTESTATION_KEY = 700;
  private static final int PCK_CHAIN_SIZE = QE_AUTH_DATA + 32 + 2;

  @Test
  void aQeReportNotSignedByThePckIsRefused() {
    assertThat(failure(flipped(QE_REPORT_SIGNATURE), context(AT).build()).ids())
        .containsExactly("tdx.qe-report.signature-invalid");
  }

  @Test
  void qeAuthDataTheQeReportDoesNotBindIsRefused() {
    // The QE report (and so its signature) is unchanged: only the SHA-256 binding breaks.
    assertThat(failure(flipped(QE_AUTH_DATA), context(AT).build()).ids())
        .containsExactly("tdx.qe-report.binding-mismatch");
  }

  @Test
  void anAttestationKeyThatIsNoP256PointIsRefused() {
    byte[] q = QUOTE.clone();
    Arrays.fill(q, ATTESTATION_KEY, ATTESTATION_KEY + 64, (byte) 0);
    assertThat(failure(q, context(AT).build()).ids())
        .containsExactlyInAnyOrder("tdx.attestation-key.invalid", "tdx.qe-report.binding-mismatch");
  }

  /** The quote with its PCK chain (outside the signed bytes) replaced, sizes fixed up. */
  static byte[] withPckChain(byte[] quote, byte[] pem) {
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.wrap(quote).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int oldSize = in.getInt(PCK_CHAIN_SIZE);
    int delta = pem.length - oldSize;
    byte[] out = new byte[quote.length + delta];
    System.arraycopy(quote, 0, out, 0, PCK_CHAIN_SIZE + 4);
    System.arraycopy(pem, 0, out, PCK_CHAIN_SIZE + 4, pem.length);
    int tail = PCK_CHAIN_SIZE + 4 + oldSize;
    System.arraycopy(quote, tail, out, tail + delta, quote.length - tail);
    java.nio.ByteBuffer o = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    o.putInt(PCK_CHAIN_SIZE, pem.length);
    o.putInt(766, o.getInt(766) + delta); // outer certification data size
    o.putInt(632, o.getInt(632) + delta); // signature data length
    return out;
  }

  /** The first {@code n} PEM certificates of the quote's PCK chain. */
  private static byte[] pckChainPrefix(int n) throws Exception {
    String pem =
        new String(TdxQuote.parse(QUOTE).pckChain(), java.nio.charset.StandardCharsets.US_ASCII);
    String end = "-----END CERTIFICATE-----";
    int at = 0;
    for (int i = 0; i < n; i++) {
      at = pem.indexOf(end, at) + end.length();
    }
    return (pem.substring(0, at) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void theQuoteCarriesAThreeCertificatePckChain() throws Exception {
    // The control for the edits below: re-packing the whole chain changes nothing.
    byte[] all = pckChainPrefix(3);
    assertThat(verifier.verify(withPckChain(QUOTE, all), context(AT).build()).format())
        .isEqualTo("tdx");
  }

  @Test
  void aPckChainOfOnlyThePckIsMalformed() throws Exception {
    assertThat(failure(withPckChain(QUOTE, pckChainPrefix(1)), context(AT).build()).ids())
        .containsExactly("tdx.pck.chain.malformed");
  }

  @Test
  void aPckChainWithoutTheRootPassesTheLengthCheckButNotTheRootCrl() throws Exception {
    // Two certificates are enough for the length check; the chain's last certificate (here the
    // PCK CA) is then the issuer the root CRL must name, which it does not.
    assertThat(failure(withPckChain(QUOTE, pckChainPrefix(2)), context(AT).build()).ids())
        .containsExactly("tdx.root-crl.issuer-mismatch");
  }

  @Test
  void eachMissingCollateralFileFailsClosed() {
    for (String name : COLLATERAL) {
      Map<String, byte[]> c = collateral();
      c.remove(name);
      EvidenceException e = failure(QUOTE, context(AT, c).build());
      assertThat(e.ids()).as(name).containsExactly("tdx.collateral.missing");
      assertThat(e.getMessage()).as(name).contains(name);
    }
  }

  @Test
  void unparsableCrlsAreMalformed() {
    Map<String, byte[]> c = collateral();
    c.put("pckcrl", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
    c.put("rootcrl.der", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
    assertThat(failure(QUOTE, context(AT, c).build()).ids())
        .containsExactly("tdx.pck-crl.malformed", "tdx.root-crl.malformed");
  }

  @Test
  void rawClaimsNameTheTdxModuleAllRtmrsAndTheTdAttributes() throws Exception {
    TdReport body = TdxQuote.parse(QUOTE).body();
    Claims c = verifier.verify(QUOTE, context(AT).build());
    assertThat(c.raw()).containsEntry("tdxModule", "1.0").doesNotContainKey("mrServiceTd");
    for (int i = 0; i < 4; i++) {
      assertThat(c.raw()).containsEntry("rtmr" + i, HexFormat.of().formatHex(body.rtmr(i)));
    }
    // TD attributes 0x40000000: PKS (bit 30) only.
    assertThat(c.raw().get("tdAttributes"))
        .isEqualTo(
            Map.of(
                "raw", "0000000040000000",
                "debug", false,
                "septVeDisable", false,
                "pks", true,
                "kl", false,
                "perfmon", false));
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.NO_CLAIM);
  }

  @Test
  void aNonceAsLongAsTheReportDataIsComparedWithAllOfIt() throws Exception {
    byte[] rd = TdxQuote.parse(QUOTE).body().reportData();
    assertThat(
            verifier
                .verify(QUOTE, withCollateral(VerificationContext.expectingNonce(AT, rd)).build())
                .reportData())
        .isEqualTo(rd);
    byte[] longer = Arrays.copyOf(rd, 65);
    assertThat(
            failure(QUOTE, withCollateral(VerificationContext.expectingNonce(AT, longer)).build())
                .ids())
        .containsExactly("tdx.nonce.mismatch");
  }
}
