// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.BoundedCache;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.internal.CertificateRevocation;
import dev.arca.evidence.internal.PaddedReportData;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Verifies AMD SEV-SNP attestation reports (format {@code sev-snp}; AMD SEV-SNP ABI specification
 * rev. 1.55+, "ATTESTATION_REPORT"; VCEK specification for the certificate extensions).
 *
 * <p>Checks, at {@link VerificationContext#time()}:
 *
 * <ol>
 *   <li>the report parses (version 2 or later, ECDSA P-384/SHA-384);
 *   <li>the endorsement key certificate — a VCEK, or a VLEK when the report says so — comes from
 *       the collateral or the offline {@link VcekCache}; it is never fetched. Collateral file
 *       names: {@code vcek.der}, {@code vcek.pem}, {@code vcek_milan.der}, {@code vcek_genoa.der},
 *       {@code vcek_turin.der}; {@code vlek.der}, {@code vlek.pem}; optional intermediates (e.g. an
 *       ASVK for VLEKs, or AMD's {@code cert_chain.pem}) in {@code cert_chain.pem}, {@code
 *       ask.pem}, {@code asvk.pem};
 *   <li>that certificate chains through an ASK (pinned, or from collateral) to a pinned ARK for
 *       Milan, Genoa or Turin (RSA-PSS/SHA-384), or to {@code --trust-anchors};
 *   <li>the report signature (ECDSA P-384 over bytes 0x000..0x29F; r and s little-endian) verifies
 *       with that key, and the reserved rest of the signature field is zero;
 *   <li>no certificate of that chain is revoked by a current CRL of its issuer supplied as
 *       collateral ({@code *.crl}, e.g. AMD KDS's {@code crl} for the ARK/ASK; {@link
 *       CertificateRevocation});
 *   <li>a VCEK's hwID extension equals the report's CHIP_ID;
 *   <li>the REPORTED_TCB equals the TCB SPLs in the certificate (the key is derived from that TCB);
 *   <li>expected report data binds the 64-byte REPORT_DATA: 64 bytes equal it; shorter report data
 *       (Arca's runtime binds 32 bytes) equals its first bytes and the rest of REPORT_DATA is zero,
 *       as configfs-tsm pads it; longer never matches ({@link PaddedReportData}). An expected nonce
 *       (at most 64 bytes) equals the first bytes of REPORT_DATA, the rest being whatever the
 *       attester put there;
 *   <li>a TCB baseline supplied as collateral ({@code snp_tcb_baseline.json}, {@link TcbBaseline})
 *       parses and is for the report's product.
 * </ol>
 *
 * <p><b>TCB status.</b> AMD publishes no TCB status (unlike Intel's TCB info), so the status comes
 * from the security team's uploaded baseline: the minimum SPL per component it accepts for a
 * product. Without a baseline there is no {@code tcb.tcbStatus} claim (a policy reads that as
 * unknown). With one that applies at {@link VerificationContext#time()} ({@code issueDate <= time
 * <= nextUpdate}), the REPORTED_TCB — the TCB the VCEK certifies — is compared component by
 * component: every component at or above the minimum claims {@code tcbStatus=UpToDate}; any below
 * claims {@code tcbStatus=OutOfDate}, {@code tcbBelowBaseline} (e.g. {@code snp 5<8,microcode
 * 68<115}), the insecure flag {@code sevsnp.tcb.out-of-date} and lowers the {@code hardware}
 * trustworthiness to what TDX gives Intel's {@code OutOfDate} ({@link #OUT_OF_DATE_HARDWARE}). Both
 * claim {@code tcbBaseline} = the baseline's reference, or its issue date when it has none. A
 * baseline that does not apply at that time sets no status: it claims {@code tcbBaseline=expired}
 * or {@code not-yet-valid} so a policy can say why the status is unknown; it does not fail the
 * evidence, since the report itself is sound. A malformed baseline ({@code
 * sevsnp.tcb-baseline.malformed}) or one for another product ({@code
 * sevsnp.tcb-baseline.product-mismatch}) fails verification.
 *
 * <p>Failure ids: {@code sevsnp.report.truncated}, {@code .report.too-long}, {@code
 * .report.unsupported-version}, {@code .report.unsupported-signature-algorithm}, {@code
 * .report.no-signing-key}, {@code sevsnp.vcek.missing}, {@code .vcek.malformed}, {@code
 * .vcek.extension-malformed}, {@code .vcek.unknown-product}, {@code .vcek.not-p384}, {@code
 * .vcek.chain.*} (see {@link CertificateChains}; {@code .vcek.chain.revoked}), {@code .vcek.crl.*}
 * ({@link CertificateRevocation}), {@code .vcek.hwid-mismatch} (and the same under {@code
 * sevsnp.vlek.}), {@code sevsnp.signature.invalid}, {@code sevsnp.signature.malformed}, {@code
 * sevsnp.tcb.mismatch}, {@code sevsnp.report-data.mismatch}, {@code sevsnp.nonce.mismatch}, {@code
 * sevsnp.tcb-baseline.malformed}, {@code sevsnp.tcb-baseline.product-mismatch}.
 *
 * <p>Claims: {@code debug} from the guest policy (flag {@code sevsnp.policy.debug}); measurements
 * {@code measurement} and {@code host_data}; TCB levels reported/current/committed/launch; with a
 * baseline, {@code tcbStatus}, {@code tcbBaseline} and {@code tcbBelowBaseline} as above (flag
 * {@code sevsnp.tcb.out-of-date}); the whole report in {@code raw}. Stateless and thread-safe.
 */
public final class SevSnpVerifier implements EvidenceVerifier {
  /** Media type of a raw 1184-byte SEV-SNP attestation report. */
  public static final String MEDIA_TYPE = "application/vnd.amd.sev-snp.attestation-report";

  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor("sev-snp", "1", List.of(MEDIA_TYPE));
  private static final List<String> VCEK_NAMES =
      List.of("vcek.der", "vcek.pem", "vcek_milan.der", "vcek_genoa.der", "vcek_turin.der");
  private static final List<String> VLEK_NAMES = List.of("vlek.der", "vlek.pem");
  private static final List<String> INTERMEDIATE_NAMES =
      List.of("cert_chain.pem", "ask.pem", "asvk.pem");
  private static final HexFormat HEX = HexFormat.of();

  /**
   * AR4SI hardware value of a TCB below the baseline: the value TDX gives Intel's {@code OutOfDate}
   * ({@link dev.arca.evidence.tdx.TcbStatus#OUT_OF_DATE}), worse than a warning, short of
   * contraindicated.
   */
  static final int OUT_OF_DATE_HARDWARE =
      dev.arca.evidence.tdx.TcbStatus.OUT_OF_DATE.hardwareTrustworthiness();

  private final Optional<VcekCache> cache;

  /** A verifier that takes the VCEK from collateral only. */
  public SevSnpVerifier() {
    this.cache = Optional.empty();
  }

  /** A verifier that falls back to an offline VCEK cache when collateral has no VCEK. */
  public SevSnpVerifier(VcekCache cache) {
    this.cache = Optional.of(cache);
  }

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    AttestationReport report = AttestationReport.parse(evidence);
    int signingKey = report.signingKey();
    if (signingKey != AttestationReport.SIGNING_KEY_VCEK
        && signingKey != AttestationReport.SIGNING_KEY_VLEK) {
      throw new EvidenceException(
          "sevsnp.report.no-signing-key",
          "the report says it is signed by no key (SIGNING_KEY=" + signingKey + ")");
    }
    boolean vlek = signingKey == AttestationReport.SIGNING_KEY_VLEK;
    String keyName = vlek ? "vlek" : "vcek";
    String prefix = "sevsnp." + keyName;

    X509Certificate cert = endorsementKey(report, context, vlek, prefix);
    Product product = product(cert, prefix);

    Failures failures = new Failures();
    boolean chainValid = true;
    try {
      List<X509Certificate> chain = chain(cert, context);
      X509Certificate anchor =
          CertificateChains.validate(
              chain, context.anchorsWith(AmdRoots.arks()), context.time(), prefix);
      CertificateRevocation.check(
          chain, anchor, CertificateRevocation.crls(context, prefix), context.time(), prefix);
    } catch (EvidenceException e) {
      chainValid = false;
      failures.addAll(e);
    }
    ReportSignature.verify(report, cert, prefix, failures);

    byte[] chipId = report.chipId();
    if (!vlek) {
      Optional<byte[]> hwId = VcekExtensions.hwId(cert, prefix);
      if (hwId.isEmpty() || !MessageDigest.isEqual(hwId.get(), chipId)) {
        failures.add(
            prefix + ".hwid-mismatch",
            "the VCEK was issued for another chip than the report's CHIP_ID"
                + (report.maskChipKey() ? " (the report masks its chip id)" : ""));
      }
    }
    TcbVersion reported = TcbVersion.decode(report.reportedTcb(), product);
    checkTcb(reported, cert, product, prefix, failures);
    checkReportData(report.reportData(), context, failures);
    Optional<TcbBaseline> baseline = baseline(context, product, failures);
    failures.throwIfAny();

    Claims.Builder c = claims(report, product, reported, cert, keyName, chainValid);
    int hardware = Trustworthiness.AFFIRMING;
    if (baseline.isPresent()) {
      hardware = appraiseTcb(reported, baseline.get(), context.time(), c);
    }
    int config =
        report.policy().debug() ? Trustworthiness.CONTRAINDICATED : Trustworthiness.NO_CLAIM;
    c.trustworthiness(
        Trustworthiness.empty()
            .with(Trustworthiness.Claim.HARDWARE, hardware)
            .with(Trustworthiness.Claim.INSTANCE_IDENTITY, Trustworthiness.AFFIRMING)
            .with(Trustworthiness.Claim.CONFIGURATION, config));
    return c.build();
  }

  /**
   * The uploaded TCB baseline, if any; a malformed one, or one for another product, is a failure
   * (fail closed: a baseline the security team meant to apply is never skipped).
   */
  private static Optional<TcbBaseline> baseline(
      VerificationContext context, Product product, Failures failures) {
    Optional<byte[]> file = context.collateral(TcbBaseline.FILE_NAME);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      TcbBaseline baseline = TcbBaseline.parse(file.get());
      if (baseline.product() != product) {
        failures.add(
            "sevsnp.tcb-baseline.product-mismatch",
            "the TCB baseline is for "
                + baseline.product().displayName()
                + " but the report comes from a "
                + product.displayName()
                + " processor");
        return Optional.empty();
      }
      return Optional.of(baseline);
    } catch (EvidenceException e) {
      failures.addAll(e);
      return Optional.empty();
    }
  }

  /**
   * Compares the REPORTED_TCB with a baseline of the report's product and claims the outcome.
   *
   * @return the AR4SI hardware value: affirming when up to date or when the baseline does not apply
   *     at {@code time} (no status then, as without a baseline), TDX's out-of-date value when below
   *     it
   */
  private static int appraiseTcb(
      TcbVersion reported, TcbBaseline baseline, java.time.Instant time, Claims.Builder c) {
    if (!baseline.appliesAt(time)) {
      c.tcb("tcbBaseline", time.isBefore(baseline.issueDate()) ? "not-yet-valid" : "expired");
      return Trustworthiness.AFFIRMING;
    }
    c.tcb("tcbBaseline", baseline.reference().orElse(baseline.issueDate().toString()));
    List<String> below = baseline.below(reported);
    if (below.isEmpty()) {
      c.tcb("tcbStatus", "UpToDate");
      return Trustworthiness.AFFIRMING;
    }
    c.tcb("tcbStatus", "OutOfDate");
    c.tcb("tcbBelowBaseline", String.join(",", below));
    c.insecureFlag("sevsnp.tcb.out-of-date");
    return OUT_OF_DATE_HARDWARE;
  }

  private X509Certificate endorsementKey(
      AttestationReport report, VerificationContext context, boolean vlek, String prefix)
      throws EvidenceException {
    Optional<byte[]> der = Optional.empty();
    for (String name : vlek ? VLEK_NAMES : VCEK_NAMES) {
      der = der.or(() -> context.collateral(name));
    }
    if (der.isEmpty() && !vlek && cache.isPresent()) {
      try {
        // The cache key uses the raw TCB bytes, which are the same whatever the product layout.
        der =
            cache
                .get()
                .find(report.chipId(), TcbVersion.decode(report.reportedTcb(), Product.MILAN));
      } catch (IOException e) {
        throw new EvidenceException(
            prefix + ".missing", "the offline VCEK cache entry cannot be read: " + e.getMessage());
      }
    }
    if (der.isEmpty()) {
      throw new EvidenceException(
          prefix + ".missing",
          "no "
              + (vlek ? "VLEK" : "VCEK")
              + " certificate: supply it as collateral ("
              + String.join(", ", vlek ? VLEK_NAMES : VCEK_NAMES)
              + ") or in the offline VCEK cache; Arca never fetches it while verifying");
    }
    // AMD's key server issues VCEKs with serial number 0, which RFC 5280 4.1.2.2 forbids
    // (serials must be positive) and strict parsers such as Go's crypto/x509 refuse. The JDK's
    // X.509 parser reads any INTEGER serial, so CertificateChains.parse accepts these VCEKs
    // as they are; the serial plays no part in SEV-SNP trust (the chain and hwID do), and
    // SevSnpVerifierTest pins that the vector's zero-serial VCEK parses.
    List<X509Certificate> certs = CertificateChains.parse(der.get(), prefix);
    return certs.get(0);
  }

  /** The leaf and, if one is known, the certificate that issued it (an ASK or ASVK). */
  private static List<X509Certificate> chain(X509Certificate leaf, VerificationContext context)
      throws EvidenceException {
    List<X509Certificate> candidates = new ArrayList<>(AmdRoots.asks());
    for (String name : INTERMEDIATE_NAMES) {
      Optional<byte[]> c = context.collateral(name);
      if (c.isPresent()) {
        candidates.addAll(CertificateChains.parse(c.get(), "sevsnp.intermediate"));
      }
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    for (X509Certificate c : candidates) {
      if (c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
          && !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        chain.add(c);
        break;
      }
    }
    return chain;
  }

  private static Product product(X509Certificate cert, String prefix) throws EvidenceException {
    Optional<Product> p = VcekExtensions.productName(cert, prefix).flatMap(Product::fromName);
    if (p.isEmpty()) {
      p = Product.fromName(cert.getIssuerX500Principal().getName());
    }
    return p.orElseThrow(
        () ->
            new EvidenceException(
                prefix + ".unknown-product",
                "the certificate names no known product (Milan, Genoa, Turin)"));
  }

  private static void checkTcb(
      TcbVersion reported, X509Certificate cert, Product product, String prefix, Failures failures)
      throws EvidenceException {
    Map<String, int[]> pairs = new LinkedHashMap<>();
    if (product.hasFmc()) {
      pairs.put(
          "fmc",
          new int[] {reported.fmc(), VcekExtensions.spl(cert, VcekExtensions.FMC_SPL, prefix)});
    }
    pairs.put(
        "bootloader",
        new int[] {reported.bootLoader(), VcekExtensions.spl(cert, VcekExtensions.BL_SPL, prefix)});
    pairs.put(
        "tee",
        new int[] {reported.tee(), VcekExtensions.spl(cert, VcekExtensions.TEE_SPL, prefix)});
    pairs.put(
        "snp",
        new int[] {reported.snp(), VcekExtensions.spl(cert, VcekExtensions.SNP_SPL, prefix)});
    pairs.put(
        "microcode",
        new int[] {
          reported.microcode(), VcekExtensions.spl(cert, VcekExtensions.UCODE_SPL, prefix)
        });
    List<String> differ = new ArrayList<>();
    pairs.forEach(
        (name, v) -> {
          if (v[0] != v[1]) {
            differ.add(name + " report=" + v[0] + " certificate=" + (v[1] < 0 ? "absent" : v[1]));
          }
        });
    if (reported.reservedNonZero()) {
      differ.add("reserved bytes of REPORTED_TCB are not zero");
    }
    if (!differ.isEmpty()) {
      failures.add(
          "sevsnp.tcb.mismatch",
          "the report's REPORTED_TCB differs from the TCB the certificate was issued for: "
              + String.join(", ", differ));
    }
  }

  private static void checkReportData(
      byte[] reportData, VerificationContext context, Failures failures) {
    Optional<byte[]> expected = context.expectedReportData();
    if (expected.isPresent() && !PaddedReportData.binds(reportData, expected.get())) {
      failures.addBinding(
          "sevsnp.report-data.mismatch",
          "the report binds other REPORT_DATA than expected ("
              + PaddedReportData.describe(reportData.length, expected.get().length)
              + ")");
    }
    Optional<byte[]> nonce = context.expectedNonce();
    if (nonce.isPresent()) {
      byte[] n = nonce.get();
      boolean ok =
          n.length <= reportData.length
              && MessageDigest.isEqual(n, java.util.Arrays.copyOf(reportData, n.length));
      if (!ok) {
        failures.addBinding(
            "sevsnp.nonce.mismatch",
            "the first " + n.length + " bytes of REPORT_DATA are not the expected nonce");
      }
    }
  }

  private static Claims.Builder claims(
      AttestationReport r,
      Product product,
      TcbVersion reported,
      X509Certificate cert,
      String keyName,
      boolean chainValid) {
    GuestPolicy policy = r.policy();
    Claims.Builder c =
        Claims.builder("sev-snp")
            .hardwareRooted(chainValid)
            .securityLevel("tee")
            .deviceIdentity("sev-snp:" + HEX.formatHex(r.chipId()))
            .debug(policy.debug())
            .reportData(r.reportData())
            .measurement("measurement", r.measurement())
            .measurement("host_data", r.hostData());
    if (policy.debug()) {
      c.insecureFlag("sevsnp.policy.debug");
    }
    reported.asMap().forEach((k, v) -> c.tcb("reported." + k, Integer.toString(v)));
    TcbVersion.decode(r.currentTcb(), product)
        .asMap()
        .forEach((k, v) -> c.tcb("current." + k, Integer.toString(v)));
    TcbVersion.decode(r.committedTcb(), product)
        .asMap()
        .forEach((k, v) -> c.tcb("committed." + k, Integer.toString(v)));
    TcbVersion.decode(r.launchTcb(), product)
        .asMap()
        .forEach((k, v) -> c.tcb("launch." + k, Integer.toString(v)));
    c.tcb("firmware.current", version(r.currentVersion()));
    c.tcb("firmware.committed", version(r.committedVersion()));
    c.tcb("guestSvn", Long.toString(r.guestSvn()));

    c.raw("version", r.version());
    c.raw("product", product.displayName());
    c.raw("signingKey", keyName);
    c.raw("guestSvn", r.guestSvn());
    c.raw("policy", "0x" + Long.toHexString(r.policy().raw()));
    c.raw("policyFlags", policy.asMap());
    c.raw("familyId", HEX.formatHex(r.familyId()));
    c.raw("imageId", HEX.formatHex(r.imageId()));
    c.raw("vmpl", r.vmpl());
    c.raw("signatureAlgorithm", r.signatureAlgorithm());
    c.raw("platformInfo", platformInfo(r.platformInfo()));
    c.raw("authorKeyEnabled", r.authorKeyEnabled());
    c.raw("maskChipKey", r.maskChipKey());
    c.raw("reportData", HEX.formatHex(r.reportData()));
    c.raw("measurement", HEX.formatHex(r.measurement()));
    c.raw("hostData", HEX.formatHex(r.hostData()));
    c.raw("idKeyDigest", HEX.formatHex(r.idKeyDigest()));
    c.raw("authorKeyDigest", HEX.formatHex(r.authorKeyDigest()));
    c.raw("reportId", HEX.formatHex(r.reportId()));
    c.raw("reportIdMa", HEX.formatHex(r.reportIdMa()));
    c.raw("chipId", HEX.formatHex(r.chipId()));
    c.raw("reportedTcb", reported.hex());
    if (r.cpuidFamily() >= 0) {
      c.raw("cpuidFamilyId", r.cpuidFamily());
      c.raw("cpuidModelId", r.cpuidModel());
      c.raw("cpuidStepping", r.cpuidStepping());
    }
    if (r.launchMitVector() != -1 || r.version() >= 5) {
      c.raw("launchMitVector", "0x" + Long.toHexString(r.launchMitVector()));
      c.raw("currentMitVector", "0x" + Long.toHexString(r.currentMitVector()));
    }
    c.raw("certificateSubject", cert.getSubjectX500Principal().getName());
    return c;
  }

  private static String version(int[] buildMinorMajor) {
    return buildMinorMajor[2] + "." + buildMinorMajor[1] + "." + buildMinorMajor[0];
  }

  private static Map<String, Object> platformInfo(long raw) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("raw", "0x" + Long.toHexString(raw));
    m.put("smtEnabled", (raw & 1) != 0);
    m.put("tsmeEnabled", (raw & 2) != 0);
    m.put("eccEnabled", (raw & 4) != 0);
    m.put("raplDisabled", (raw & 8) != 0);
    m.put("ciphertextHidingEnabled", (raw & 16) != 0);
    m.put("aliasCheckComplete", (raw & 32) != 0);
    m.put("tioEnabled", (raw & 128) != 0);
    return m;
  }

  /** ECDSA P-384 verification of the report with Bouncy Castle's lightweight API (hot path). */
  static final class ReportSignature {
    private static final BoundedCache<ECPublicKeyParameters> KEYS = new BoundedCache<>(1024);
    private static final org.bouncycastle.crypto.params.ECDomainParameters P384 = p384();

    private static org.bouncycastle.crypto.params.ECDomainParameters p384() {
      var x9 = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp384r1");
      return new org.bouncycastle.crypto.params.ECDomainParameters(
          x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    private ReportSignature() {}

    static void verify(
        AttestationReport report, X509Certificate cert, String prefix, Failures failures) {
      ECPublicKeyParameters key;
      byte[] spki = cert.getPublicKey().getEncoded();
      String id = BoundedCache.key(spki);
      key = KEYS.get(id);
      if (key == null) {
        try {
          SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
          AsymmetricKeyParameter k = PublicKeyFactory.createKey(info);
          if (!(k instanceof ECPublicKeyParameters ec)
              || !ec.getParameters().getCurve().equals(P384.getCurve())) {
            failures.add(prefix + ".not-p384", "the certificate's key is not an ECDSA P-384 key");
            return;
          }
          // Re-decoded on Bouncy Castle's optimized P-384 curve (CustomNamedCurves), which
          // verifies several times faster than the generic curve PublicKeyFactory returns.
          key =
              new ECPublicKeyParameters(
                  P384.getCurve().decodePoint(info.getPublicKeyData().getBytes()), P384);
          // Remembered per key: BC keeps its precomputation for a point in the point itself, so
          // a VCEK seen before verifies several times faster (see docs/benchmarks.md).
          KEYS.put(id, key);
        } catch (IOException | RuntimeException e) {
          failures.add(prefix + ".not-p384", "the certificate's key cannot be read as ECDSA P-384");
          return;
        }
      }
      if (!report.signatureReservedIsZero()) {
        failures.add(
            "sevsnp.signature.malformed",
            "the reserved bytes after r and s in the signature field are not zero");
      }
      if (!verifyP384(key, report.signedBytes(), report.signatureR(), report.signatureS())) {
        failures.add(
            "sevsnp.signature.invalid",
            "the report signature does not verify with the " + prefix.substring(7) + " key");
      }
    }

    /** The bare signature check, also used by the benchmark as its baseline. */
    static boolean verifyP384(
        ECPublicKeyParameters key, byte[] signed, java.math.BigInteger r, java.math.BigInteger s) {
      SHA384Digest d = new SHA384Digest();
      d.update(signed, 0, signed.length);
      byte[] hash = new byte[d.getDigestSize()];
      d.doFinal(hash, 0);
      ECDSASigner signer = new ECDSASigner();
      signer.init(false, key);
      return signer.verifySignature(hash, r, s);
    }
  }
}
