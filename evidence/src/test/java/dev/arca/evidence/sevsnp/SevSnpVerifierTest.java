// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Milan report and VCEK from go-sev-guest (see vectors/sev-snp/README.md). */
class SevSnpVerifierTest {
  /** Inside the VCEK's validity (2022-09-24 .. 2029-09-24); ASK and ARK are valid to 2045. */
  static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

  static final byte[] REPORT = resource("attestation.bin");
  static final byte[] VCEK = resource("vcek_milan.der");
  private static final byte[] REPORT_DATA = reportData();

  private final SevSnpVerifier verifier = new SevSnpVerifier();

  static byte[] resource(String name) {
    try (InputStream in =
        SevSnpVerifierTest.class.getResourceAsStream("/vectors/sev-snp/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] reportData() {
    byte[] d = new byte[64];
    System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, d, 0, 5);
    return d;
  }

  static VerificationContext.Builder context(Instant at) {
    return withVcek(VerificationContext.insecureWithoutBinding(at));
  }

  /** Adds the vector's VCEK to a context that already names its binding. */
  static VerificationContext.Builder withVcek(VerificationContext.Builder b) {
    return b.collateral("vcek_milan.der", VCEK);
  }

  private EvidenceException failure(byte[] report, VerificationContext ctx) {
    try {
      verifier.verify(report, ctx);
    } catch (EvidenceException e) {
      return e;
    }
    throw new AssertionError("verification should have failed");
  }

  @Test
  void realMilanReportVerifiesWithFullClaims() throws Exception {
    Claims c =
        verifier.verify(
            REPORT, withVcek(VerificationContext.expectingReportData(AT, REPORT_DATA)).build());
    assertThat(c.format()).isEqualTo("sev-snp");
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.reportData()).isEqualTo(REPORT_DATA);
    // Policy 0xb0000: SMT allowed, reserved bit 17, DEBUG. The vector's guest is debuggable.
    assertThat(c.debug()).isTrue();
    assertThat(c.insecureFlags()).containsExactly("sevsnp.policy.debug");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.CONTRAINDICATED);
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.AFFIRMING);
    assertThat(c.raw())
        .containsEntry("version", 2)
        .containsEntry("product", "Milan")
        .containsEntry("signingKey", "vcek")
        .containsEntry("policy", "0xb0000")
        .containsEntry("vmpl", 0L)
        .containsEntry("reportedTcb", "0200000000000544");
    @SuppressWarnings("unchecked")
    Map<String, Object> flags = (Map<String, Object>) c.raw().get("policyFlags");
    assertThat(flags)
        .containsEntry("smt", true)
        .containsEntry("migrateMa", false)
        .containsEntry("debug", true);
    assertThat(c.measurements().get("measurement"))
        .startsWith("b07af9620f3b839b479964")
        .hasSize(96);
    assertThat(c.deviceIdentity()).startsWith("sev-snp:3ac3fe21e13fb099");
    assertThat(c.tcb())
        .containsEntry("reported.bootloader", "2")
        .containsEntry("reported.tee", "0")
        .containsEntry("reported.snp", "5")
        .containsEntry("reported.microcode", "68");
    // Version 2 has neither CPUID fields (version 3) nor mitigation vectors (version 5).
    assertThat(c.raw()).doesNotContainKeys("cpuidFamilyId", "launchMitVector", "currentMitVector");
  }

  @Test
  void theZeroSerialVcekParses() throws Exception {
    X509Certificate vcek = CertificateChains.parse(VCEK, "t").get(0);
    assertThat(vcek.getSerialNumber()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void nonceIsComparedWithTheFirstBytesOfReportData() throws Exception {
    byte[] nonce = {1, 2, 3, 4, 5};
    assertThat(
            verifier
                .verify(REPORT, withVcek(VerificationContext.expectingNonce(AT, nonce)).build())
                .reportData())
        .isEqualTo(REPORT_DATA);
    assertThat(
            failure(
                    REPORT,
                    withVcek(VerificationContext.expectingNonce(AT, new byte[] {1, 2, 3, 4, 6}))
                        .build())
                .ids())
        .containsExactly("sevsnp.nonce.mismatch");
  }

  @Test
  void wrongReportDataHasItsOwnId() {
    byte[] wrong = REPORT_DATA.clone();
    wrong[63] = 1;
    assertThat(
            failure(REPORT, withVcek(VerificationContext.expectingReportData(AT, wrong)).build())
                .ids())
        .containsExactly("sevsnp.report-data.mismatch");
    assertThat(
            failure(
                    REPORT,
                    withVcek(VerificationContext.expectingReportData(AT, new byte[] {1, 2}))
                        .build())
                .ids())
        .containsExactly("sevsnp.report-data.mismatch");
  }

  @Test
  void aShortExpectationBindsTheFirstBytesAndZerosInTheRest() throws Exception {
    // Arca's runtime writes 32 bytes of report data and 32 zeros into REPORT_DATA (configfs-tsm).
    byte[] expected = new byte[32];
    Arrays.fill(expected, (byte) 0x5c);
    TestSevSnpReports pki = new TestSevSnpReports(AT.minusSeconds(86_400), AT.plusSeconds(86_400));
    byte[] chip = TestSevSnpReports.vectorChipId();
    VerificationContext ctx =
        VerificationContext.expectingReportData(AT, expected)
            .collateral("vcek.der", pki.vcekDer(chip))
            .collateral("cert_chain.pem", pki.askArkPem())
            .trustAnchor(pki.root())
            .build();
    byte[] padded = Arrays.copyOf(expected, 64);
    Claims c = verifier.verify(pki.report(chip, padded, false, new byte[48]), ctx);
    assertThat(c.reportData()).isEqualTo(padded);

    byte[] secondHalfUsed = padded.clone();
    secondHalfUsed[63] = 1; // first 32 bytes still match
    EvidenceException e = failure(pki.report(chip, secondHalfUsed, false, new byte[48]), ctx);
    assertThat(e.ids()).containsExactly("sevsnp.report-data.mismatch");
    assertThat(e.getMessage())
        .contains("the first 32 bytes were compared with the expected report data")
        .contains("the other 32 with zeros");
  }

  @Test
  void anExpectationLongerThanReportDataNeverMatches() {
    byte[] longer = Arrays.copyOf(REPORT_DATA, 65); // REPORT_DATA and one more zero byte
    EvidenceException e =
        failure(REPORT, withVcek(VerificationContext.expectingReportData(AT, longer)).build());
    assertThat(e.ids()).containsExactly("sevsnp.report-data.mismatch");
    assertThat(e.getMessage()).contains("65 bytes, more than the field's 64");
  }

  @Test
  void everyFlippedReportByteIsRejected() {
    VerificationContext ctx = context(AT).build();
    for (int i = 0; i < REPORT.length; i++) {
      byte[] bad = REPORT.clone();
      bad[i] ^= 0x01;
      EvidenceException e = failure(bad, ctx);
      if (i >= 0x2A0 + 144) {
        assertThat(e.ids()).as("byte %x", i).containsExactly("sevsnp.signature.malformed");
      } else if (i >= 0x50) {
        // Signed body past the header fields, and r/s themselves.
        assertThat(e.ids()).as("byte %x", i).contains("sevsnp.signature.invalid");
      }
    }
  }

  @Test
  void flipsOfChipIdAndReportedTcbAlsoReportTheirOwnChecks() {
    byte[] chip = REPORT.clone();
    chip[0x1A0] ^= 1;
    assertThat(failure(chip, context(AT).build()).ids())
        .containsExactly("sevsnp.signature.invalid", "sevsnp.vcek.hwid-mismatch");
    byte[] tcb = REPORT.clone();
    tcb[0x186] ^= 1; // SNP SPL
    assertThat(failure(tcb, context(AT).build()).ids())
        .containsExactly("sevsnp.signature.invalid", "sevsnp.tcb.mismatch");
  }

  @Test
  void everyFlippedVcekByteIsRejected() {
    for (int i = 0; i < VCEK.length; i++) {
      byte[] bad = VCEK.clone();
      bad[i] ^= 0x01;
      VerificationContext ctx =
          VerificationContext.insecureWithoutBinding(AT).collateral("vcek.der", bad).build();
      assertThatThrownBy(() -> verifier.verify(REPORT, ctx))
          .as("VCEK byte %d", i)
          .isInstanceOf(EvidenceException.class);
    }
  }

  @Test
  void expiredAndNotYetValidVcekHaveTheirOwnIds() {
    // The VCEK is valid until 2029-09-24, so "now" (2026) still verifies; past its end it fails.
    assertThat(failure(REPORT, context(Instant.parse("2030-01-01T00:00:00Z")).build()).ids())
        .containsExactly("sevsnp.vcek.chain.expired");
    assertThat(failure(REPORT, context(Instant.parse("2021-01-01T00:00:00Z")).build()).ids())
        .containsExactly("sevsnp.vcek.chain.not-yet-valid");
  }

  @Test
  void unknownRootIsRejected() throws Exception {
    X509Certificate genoaArk = AmdRoots.ark(Product.GENOA);
    VerificationContext ctx = context(AT).trustAnchor(genoaArk).replacePinnedAnchors(true).build();
    assertThat(failure(REPORT, ctx).ids()).containsExactly("sevsnp.vcek.chain.untrusted-root");
  }

  @Test
  void missingVcekTruncatedAndOverlongReportsHaveTheirOwnIds() {
    assertThat(failure(REPORT, VerificationContext.insecureWithoutBinding(AT).build()).ids())
        .containsExactly("sevsnp.vcek.missing");
    assertThat(failure(Arrays.copyOf(REPORT, REPORT.length - 1), context(AT).build()).ids())
        .containsExactly("sevsnp.report.truncated");
    assertThat(failure(Arrays.copyOf(REPORT, REPORT.length + 1), context(AT).build()).ids())
        .containsExactly("sevsnp.report.too-long");
    byte[] v1 = REPORT.clone();
    v1[0] = 1;
    assertThat(failure(v1, context(AT).build()).ids())
        .containsExactly("sevsnp.report.unsupported-version");
    byte[] noKey = REPORT.clone();
    noKey[0x48] = 7 << 2;
    assertThat(failure(noKey, context(AT).build()).ids())
        .containsExactly("sevsnp.report.no-signing-key");
    byte[] vlek = REPORT.clone();
    vlek[0x48] = 1 << 2;
    assertThat(failure(vlek, context(AT).build()).ids()).containsExactly("sevsnp.vlek.missing");
  }

  @Test
  void offlineCacheSuppliesTheVcekWithoutCollateral(@TempDir Path dir) throws Exception {
    VcekCache cache = new VcekCache(dir);
    AttestationReport r = AttestationReport.parse(REPORT);
    Path entry = cache.pathFor(r.chipId(), TcbVersion.decode(r.reportedTcb(), Product.MILAN));
    Files.createDirectories(entry.getParent());
    Files.write(entry, VCEK);
    Claims c =
        new SevSnpVerifier(cache)
            .verify(REPORT, VerificationContext.insecureWithoutBinding(AT).build());
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(entry.getFileName().toString()).isEqualTo("0200000000000544.der");
  }

  @Test
  void versionFiveFieldsAreParsed() throws Exception {
    // Layout only: the vector is version 2, so this edits it to version 5 and parses it without
    // verifying (its signature no longer holds, and no version-5 vector is available).
    byte[] v5 = REPORT.clone();
    v5[0] = 5;
    v5[0x188] = 0x19;
    v5[0x189] = 0x11;
    v5[0x18A] = 0x01;
    v5[0x1F8] = 0x03;
    v5[0x200] = 0x01;
    AttestationReport r = AttestationReport.parse(v5);
    assertThat(r.cpuidFamily()).isEqualTo(0x19);
    assertThat(r.cpuidModel()).isEqualTo(0x11);
    assertThat(r.cpuidStepping()).isEqualTo(1);
    assertThat(r.launchMitVector()).isEqualTo(3);
    assertThat(r.currentMitVector()).isEqualTo(1);
    AttestationReport v2 = AttestationReport.parse(REPORT);
    assertThat(v2.cpuidFamily()).isEqualTo(-1);
    assertThat(v2.launchMitVector()).isEqualTo(-1);
  }

  @Test
  void turinTcbLayoutHasAnFmcField() {
    long raw = HexFormatLe.le("0102030400000009");
    TcbVersion t = TcbVersion.decode(raw, Product.TURIN);
    assertThat(t.asMap())
        .containsExactly(
            Map.entry("fmc", 1),
            Map.entry("bootloader", 2),
            Map.entry("tee", 3),
            Map.entry("snp", 4),
            Map.entry("microcode", 9));
    TcbVersion m = TcbVersion.decode(HexFormatLe.le("0200000000000544"), Product.MILAN);
    assertThat(m.asMap()).doesNotContainKey("fmc").containsEntry("snp", 5);
    assertThat(m.hex()).isEqualTo("0200000000000544");
  }

  @Test
  void isRegisteredAsABuiltinFormat() throws Exception {
    assertThat(BuiltinFormats.registry().require("sev-snp")).isInstanceOf(SevSnpVerifier.class);
  }

  /** Reads 8 hex bytes in report (little-endian) order as a long. */
  static final class HexFormatLe {
    static long le(String hex) {
      byte[] b = HexFormat.of().parseHex(hex);
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = (v << 8) | (b[i] & 0xff);
      }
      return v;
    }
  }

  @Test
  void realReportClaimsItsPlatformInfoFirmwareAndEveryTcb() throws Exception {
    Claims c = verifier.verify(REPORT, context(AT).build());
    // PLATFORM_INFO 0x1: SMT enabled, no other feature.
    assertThat(c.raw().get("platformInfo"))
        .isEqualTo(
            Map.of(
                "raw", "0x1",
                "smtEnabled", true,
                "tsmeEnabled", false,
                "eccEnabled", false,
                "raplDisabled", false,
                "ciphertextHidingEnabled", false,
                "aliasCheckComplete", false,
                "tioEnabled", false));
    // Reported, current, committed and launch TCB are the same here; firmware 1.49 build 3.
    Map<String, String> expected = new java.util.TreeMap<>();
    for (String tcb : java.util.List.of("reported", "current", "committed", "launch")) {
      expected.putAll(
          Map.of(
              tcb + ".bootloader", "2",
              tcb + ".tee", "0",
              tcb + ".snp", "5",
              tcb + ".microcode", "68"));
    }
    expected.put("firmware.current", "1.49.3");
    expected.put("firmware.committed", "1.49.3");
    expected.put("guestSvn", "0");
    assertThat(c.tcb()).isEqualTo(expected);
  }

  @Test
  void aCrlForTheVcekIssuerIsCheckedAndAForgedOneRefused() throws Exception {
    // A list naming the VCEK's issuer (SEV-Milan) but signed by another key: not AMD's word.
    X509Certificate vcek = CertificateChains.parse(VCEK, "t").get(0);
    var b =
        new org.bouncycastle.cert.X509v2CRLBuilder(
            org.bouncycastle.asn1.x500.X500Name.getInstance(
                vcek.getIssuerX500Principal().getEncoded()),
            java.util.Date.from(AT));
    b.setNextUpdate(java.util.Date.from(AT.plusSeconds(86_400)));
    byte[] crl =
        b.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .build(dev.arca.evidence.testing.TestPki.p256().getPrivate()))
            .getEncoded();
    assertThat(failure(REPORT, context(AT).collateral("ask.crl", crl).build()).ids())
        .containsExactly("sevsnp.vcek.crl.signature-invalid");
  }

  @Test
  void nonZeroReservedSignatureBytesAreMalformedThoughRAndSVerify() {
    byte[] bad = REPORT.clone();
    bad[0x330] = 1; // the reserved tail after r and s (0x330..0x49F)
    assertThat(failure(bad, context(AT).build()).ids())
        .containsExactly("sevsnp.signature.malformed");
  }

  /** The report signature checked with {@code cert}'s key, as the verifier does. */
  private static List<String> signatureIds(X509Certificate cert) {
    dev.arca.evidence.Failures f = new dev.arca.evidence.Failures();
    try {
      SevSnpVerifier.ReportSignature.verify(
          AttestationReport.parse(REPORT), cert, "sevsnp.vcek", f);
      f.throwIfAny();
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  private static String signatureMessage(X509Certificate cert) throws Exception {
    dev.arca.evidence.Failures f = new dev.arca.evidence.Failures();
    SevSnpVerifier.ReportSignature.verify(AttestationReport.parse(REPORT), cert, "sevsnp.vcek", f);
    try {
      f.throwIfAny();
      return "";
    } catch (EvidenceException e) {
      return e.getMessage();
    }
  }

  @Test
  void aVcekWhoseKeyIsNotP384CannotSignTheReport() throws Exception {
    KeyPair issuer = TestPki.p256();
    X509Certificate p256 = TestPki.cert("CN=P-256 VCEK", issuer).build();
    var rsaGen = java.security.KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    X509Certificate rsa =
        TestPki.cert("CN=RSA VCEK", rsaGen.generateKeyPair()).issuedBy("CN=Issuer", issuer).build();
    for (X509Certificate cert : List.of(p256, rsa)) {
      assertThat(signatureIds(cert)).containsExactly("sevsnp.vcek.not-p384");
      assertThat(signatureMessage(cert))
          .contains("the certificate's key is not an ECDSA P-384 key");
    }
    assertThat(signatureIds(CertificateChains.parse(VCEK, "t").get(0))).isEmpty();
    // The AMD VCEK's key is usually in the verifier's decoded-key cache already (other tests
    // verified with it), which skips the key-type check; a P-384 key never seen before goes
    // through it, is accepted as P-384, and then fails only because it did not sign the report.
    X509Certificate freshP384 = TestPki.cert("CN=P-384 VCEK", TestSevSnpReports.p384()).build();
    assertThat(signatureIds(freshP384)).containsExactly("sevsnp.signature.invalid");
  }

  @Test
  void aVcekKeyThatIsNotAPointOnP384CannotBeRead() throws Exception {
    // The VCEK's SubjectPublicKeyInfo is a P-384 key; its y coordinate's last byte, the
    // certificate's, is changed, so the point is off the curve.
    byte[] offCurve = VCEK.clone();
    int spki =
        indexOf(
            offCurve, HexFormat.of().parseHex("3076301006072a8648ce3d020106052b81040022036200"));
    offCurve[spki + 23 + 96] ^= 0x01;
    X509Certificate cert = CertificateChains.parse(offCurve, "t").get(0);
    assertThat(signatureIds(cert)).containsExactly("sevsnp.vcek.not-p384");
    assertThat(signatureMessage(cert)).contains("cannot be read as ECDSA P-384");
  }

  @Test
  void aReportWithAMaskedChipIdSaysSoWhenItsVcekIsForAChip() throws Exception {
    byte[] masked = REPORT.clone();
    masked[0x48] |= 0x02; // KEY_INFO.MASK_CHIP_KEY
    Arrays.fill(masked, 0x1A0, 0x1E0, (byte) 0); // CHIP_ID then reads as zeros
    TestVcek vcek = TestVcek.issuedBy("CN=SEV-Milan", milanTcbAndChipId());
    EvidenceException e = failure(vcek.sign(masked), vcek.context());
    assertThat(e.ids()).containsExactly("sevsnp.vcek.hwid-mismatch");
    assertThat(e.getMessage()).contains("(the report masks its chip id)");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  @Test
  void aNonceAsLongAsTheReportDataIsComparedWithAllOfIt() throws Exception {
    assertThat(
            verifier
                .verify(
                    REPORT, withVcek(VerificationContext.expectingNonce(AT, REPORT_DATA)).build())
                .reportData())
        .isEqualTo(REPORT_DATA);
    byte[] lastByteDiffers = REPORT_DATA.clone();
    lastByteDiffers[63] = 1;
    assertThat(
            failure(
                    REPORT,
                    withVcek(VerificationContext.expectingNonce(AT, lastByteDiffers)).build())
                .ids())
        .containsExactly("sevsnp.nonce.mismatch");
  }

  @Test
  void aVcekWithoutProductNameIsReadAsTheProductItsIssuerNames() throws Exception {
    for (String product : List.of("Milan", "Genoa")) {
      TestVcek vcek = TestVcek.issuedBy("CN=SEV-" + product, milanTcbAndChipId());
      assertThat(vcek.cert().getExtensionValue(VcekExtensions.PRODUCT_NAME)).isNull();
      Claims c = verifier.verify(vcek.sign(REPORT), vcek.context());
      assertThat(c.raw()).containsEntry("product", product);
      assertThat(c.hardwareRooted()).isTrue();
    }
  }

  @Test
  void aVcekNamingNoProductUnderAnIssuerNamingNoneIsRefused() throws Exception {
    TestVcek vcek = TestVcek.issuedBy("CN=Test VCEK Issuer", milanTcbAndChipId());
    assertThat(failure(vcek.sign(REPORT), vcek.context()).ids())
        .containsExactly("sevsnp.vcek.unknown-product");
  }

  @Test
  void aVcekWithoutHwIdIsNotForTheReportsChip() throws Exception {
    Map<String, byte[]> noHwId = milanTcbAndChipId();
    noHwId.remove(VcekExtensions.HW_ID);
    TestVcek vcek = TestVcek.issuedBy("CN=SEV-Milan", noHwId);
    assertThat(failure(vcek.sign(REPORT), vcek.context()).ids())
        .containsExactly("sevsnp.vcek.hwid-mismatch");
  }

  @Test
  void aTurinReportsFmcSplMustEqualTheVceks() throws Exception {
    // Turin's TCB_VERSION: FMC 1, bootloader 2, TEE 3, SNP 4, reserved, microcode 9.
    byte[] turin = REPORT.clone();
    System.arraycopy(HexFormat.of().parseHex("0102030400000009"), 0, turin, 0x180, 8);
    Map<String, byte[]> ext = milanTcbAndChipId();
    ext.put(VcekExtensions.BL_SPL, spl(2));
    ext.put(VcekExtensions.TEE_SPL, spl(3));
    ext.put(VcekExtensions.SNP_SPL, spl(4));
    ext.put(VcekExtensions.UCODE_SPL, spl(9));
    ext.put(VcekExtensions.FMC_SPL, spl(1));
    TestVcek same = TestVcek.issuedBy("CN=SEV-Turin", ext);
    Claims c = verifier.verify(same.sign(turin), same.context());
    assertThat(c.raw()).containsEntry("product", "Turin");
    assertThat(c.tcb()).containsEntry("reported.fmc", "1").containsEntry("reported.microcode", "9");

    ext.put(VcekExtensions.FMC_SPL, spl(2));
    TestVcek otherFmc = TestVcek.issuedBy("CN=SEV-Turin", ext);
    assertThat(failure(otherFmc.sign(turin), otherFmc.context()).ids())
        .containsExactly("sevsnp.tcb.mismatch");
  }

  @Test
  void nonZeroReservedBytesOfTheReportedTcbAreAMismatch() throws Exception {
    byte[] reserved = REPORT.clone();
    reserved[0x182] = 1; // Milan's TCB_VERSION: bytes 2..5 are reserved
    TestVcek vcek = TestVcek.issuedBy("CN=SEV-Milan", milanTcbAndChipId());
    assertThat(failure(vcek.sign(reserved), vcek.context()).ids())
        .containsExactly("sevsnp.tcb.mismatch");
  }

  @Test
  void everyPlatformInfoBitIsClaimed() throws Exception {
    byte[] report = REPORT.clone();
    report[0x40] = (byte) 0xBE; // every defined bit but SMT (bit 0); bit 6 is not defined
    TestVcek vcek = TestVcek.issuedBy("CN=SEV-Milan", milanTcbAndChipId());
    Claims c = verifier.verify(vcek.sign(report), vcek.context());
    assertThat(c.raw().get("platformInfo"))
        .isEqualTo(
            Map.of(
                "raw", "0xbe",
                "smtEnabled", false,
                "tsmeEnabled", true,
                "eccEnabled", true,
                "raplDisabled", true,
                "ciphertextHidingEnabled", true,
                "aliasCheckComplete", true,
                "tioEnabled", true));
  }

  @Test
  void aVersionFiveReportClaimsItsCpuidAndMitigationVectorsEvenWhenZeroOrAllOnes()
      throws Exception {
    byte[] v5 = REPORT.clone();
    v5[0] = 5;
    Arrays.fill(v5, 0x188, 0x18B, (byte) 0); // CPUID family, model, stepping: all zero
    Arrays.fill(v5, 0x1F8, 0x200, (byte) 0xff); // LAUNCH_MIT_VECTOR: every bit
    v5[0x200] = 1; // CURRENT_MIT_VECTOR
    TestVcek vcek = TestVcek.issuedBy("CN=SEV-Milan", milanTcbAndChipId());
    Claims c = verifier.verify(vcek.sign(v5), vcek.context());
    assertThat(c.raw())
        .containsEntry("version", 5)
        .containsEntry("cpuidFamilyId", 0)
        .containsEntry("cpuidModelId", 0)
        .containsEntry("cpuidStepping", 0)
        .containsEntry("launchMitVector", "0xffffffffffffffff")
        .containsEntry("currentMitVector", "0x1");
  }

  @Test
  void anIntermediateSuppliedAsCollateralLinksTheVcekToItsRoot() throws Exception {
    // Test ARK -> test ASK (not pinned; given only as cert_chain.pem) -> VCEK.
    TestSevSnpReports pki = new TestSevSnpReports(AT.minusSeconds(86_400), AT.plusSeconds(86_400));
    byte[] chip = TestSevSnpReports.vectorChipId();
    byte[] report = pki.report(chip, REPORT_DATA, false, new byte[48]);
    VerificationContext.Builder noChain =
        VerificationContext.insecureWithoutBinding(AT)
            .collateral("vcek.der", pki.vcekDer(chip))
            .trustAnchor(pki.root());
    Claims c =
        verifier.verify(report, noChain.collateral("cert_chain.pem", pki.askArkPem()).build());
    assertThat(c.hardwareRooted()).isTrue();
    assertThat(c.raw()).containsEntry("product", "Milan");
    // Without it, the VCEK does not reach the root.
    assertThat(
            failure(
                    report,
                    VerificationContext.insecureWithoutBinding(AT)
                        .collateral("vcek.der", pki.vcekDer(chip))
                        .trustAnchor(pki.root())
                        .build())
                .ids())
        .containsExactly("sevsnp.vcek.chain.untrusted-root");
  }

  @Test
  void testReportsVerifyAndClaimWhatTheyWereMadeWith() throws Exception {
    TestSevSnpReports pki = new TestSevSnpReports(AT.minusSeconds(86_400), AT.plusSeconds(86_400));
    byte[] chip = new byte[64];
    Arrays.fill(chip, (byte) 0xc1);
    byte[] reportData = Arrays.copyOf(new byte[] {7, 7, 7}, 64);
    byte[] measurement = new byte[48];
    Arrays.fill(measurement, (byte) 0xa5);
    for (boolean debug : List.of(false, true)) {
      Claims c =
          verifier.verify(
              pki.report(chip, reportData, debug, measurement),
              VerificationContext.expectingReportData(AT, reportData)
                  .collateral("vcek.der", pki.vcekDer(chip))
                  .collateral("cert_chain.pem", pki.askArkPem())
                  .trustAnchor(pki.root())
                  .build());
      assertThat(c.hardwareRooted()).isTrue();
      assertThat(c.debug()).isEqualTo(debug);
      assertThat(c.insecureFlags()).isEqualTo(debug ? List.of("sevsnp.policy.debug") : List.of());
      assertThat(c.reportData()).isEqualTo(reportData);
      assertThat(c.measurements()).containsEntry("measurement", "a5".repeat(48));
      assertThat(c.deviceIdentity()).isEqualTo("sev-snp:" + "c1".repeat(64));
      assertThat(c.tcb()).containsEntry("reported.snp", "5");
    }
    // Another chip's VCEK is not this report's.
    byte[] otherChip = TestSevSnpReports.vectorChipId();
    assertThat(
            failure(
                    pki.report(chip, reportData, false, measurement),
                    VerificationContext.insecureWithoutBinding(AT)
                        .collateral("vcek.der", pki.vcekDer(otherChip))
                        .collateral("cert_chain.pem", pki.askArkPem())
                        .trustAnchor(pki.root())
                        .build())
                .ids())
        .containsExactly("sevsnp.signature.invalid", "sevsnp.vcek.hwid-mismatch");
  }

  /** A DER INTEGER, the encoding of an SPL extension. */
  private static byte[] spl(int value) throws IOException {
    return new org.bouncycastle.asn1.ASN1Integer(value).getEncoded();
  }

  /**
   * The extensions of a VCEK for the vector's chip (hwID = its CHIP_ID) and TCB (bootloader 2, TEE
   * 0, SNP 5, microcode 68), without a product name; a mutable map, so tests can change it.
   */
  private static Map<String, byte[]> milanTcbAndChipId() throws Exception {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    m.put(VcekExtensions.HW_ID, AttestationReport.parse(REPORT).chipId());
    m.put(VcekExtensions.BL_SPL, spl(2));
    m.put(VcekExtensions.TEE_SPL, spl(0));
    m.put(VcekExtensions.SNP_SPL, spl(5));
    m.put(VcekExtensions.UCODE_SPL, spl(68));
    return m;
  }

  /**
   * A test VCEK (fresh P-384 key) issued by a test root named {@code issuer}, standing in for AMD's
   * PKI so that reports can be re-signed: what no AMD-signed vector shows.
   */
  private record TestVcek(KeyPair key, X509Certificate cert, X509Certificate root) {
    static TestVcek issuedBy(String issuer, Map<String, byte[]> extensions) throws Exception {
      KeyPair rootKey = TestPki.p256();
      X509Certificate root = TestPki.cert(issuer, rootKey).ca(true).build();
      return issuedBy(issuer, rootKey, root, extensions);
    }

    /** A VCEK issued by {@code issuer} with {@code issuerKey}, under {@code root}. */
    static TestVcek issuedBy(
        String issuer, KeyPair issuerKey, X509Certificate root, Map<String, byte[]> extensions)
        throws Exception {
      KeyPair key = TestSevSnpReports.p384();
      TestPki.Cert vcek = TestPki.cert("CN=SEV-VCEK", key).issuedBy(issuer, issuerKey);
      extensions.forEach(vcek::extension);
      return new TestVcek(key, vcek.build(), root);
    }

    /** The VCEK as collateral and its root as a trust anchor, at {@link #AT}. */
    VerificationContext context() throws Exception {
      return VerificationContext.insecureWithoutBinding(AT)
          .collateral("vcek.der", cert.getEncoded())
          .trustAnchor(root)
          .build();
    }

    byte[] sign(byte[] report) throws Exception {
      return TestSevSnpReports.signedWith(report, key);
    }
  }
}
