// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.BoundedCache;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.internal.PaddedReportData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Verifies Intel TDX quotes (format {@code tdx}; versions 4 and 5, TDX 1.0 and 1.5 bodies) with
 * Intel's collateral, at {@link VerificationContext#time()} (Intel "TDX DCAP Quoting Library API",
 * appendix A; Intel PCS API for TCB info and QE identity).
 *
 * <p>Checks:
 *
 * <ol>
 *   <li>the quote parses ({@link TdxQuote});
 *   <li>the PCK chain in the quote (certification data type 5 inside type 6) chains to the pinned
 *       Intel SGX Root CA (or {@code --trust-anchors}); the PCK leaf signs the QE report;
 *   <li>QE report data[0:32] = SHA-256(attestation key || QE auth data), [32:64] zero;
 *   <li>the attestation key (ECDSA P-256) signs header||body;
 *   <li>collateral (all required; a missing file fails {@code tdx.collateral.missing}): the PCK CRL
 *       and root CA CRL (signed by the PCK's CA and the root, current, not listing the PCK or its
 *       CA); TCB info and QE identity, each signed over the raw JSON of its inner object by the TCB
 *       Signing certificate of its issuer chain (which must chain to the pinned root, and be the
 *       Intel SGX TCB Signing certificate itself: subject CN "Intel SGX TCB Signing", not a CA,
 *       issued directly by the root, so no PCK or other leaf under the root can sign it), current
 *       (issueDate &lt;= t &lt;= nextUpdate), for this FMSPC and PCE-ID; the QE report must match
 *       the QE identity; MRSIGNERSEAM and SEAM attributes must match the TDX module of the TCB
 *       info;
 *   <li>expected report data binds the 64-byte REPORTDATA: 64 bytes equal it; shorter report data
 *       (Arca's runtime binds 32 bytes) equals its first bytes and the rest of REPORTDATA is zero,
 *       as configfs-tsm pads it; longer never matches ({@link PaddedReportData}). An expected nonce
 *       equals its first bytes, the rest being whatever the attester put there.
 * </ol>
 *
 * <p>The TCB status (platform level matched with the PCK's SGX SVNs, PCE SVN and the TEE TCB SVN;
 * QE level by its ISV SVN) is a claim, not a failure: {@code UpToDate} affirms the hardware, other
 * statuses set a warning or contraindicated AR4SI {@code hardware} value and an insecure flag such
 * as {@code tdx.tcb.out-of-date}, with Intel's advisory ids; a platform below every listed level is
 * {@code TcbLevelNotFound} (contraindicated). Policy decides what to accept.
 *
 * <p>Collateral file names (as in Intel's PCS responses and the shared vectors): {@code
 * sample_tcbInfo_response} or {@code tcbinfo.json}, {@code tcbinfo_issuer_chain.pem}; {@code
 * sample_qeIdentity_response} or {@code qeidentity.json}, {@code qeidentity_issuer_chain.pem};
 * {@code pckcrl} (DER or PEM); {@code rootcrl.der}. A collateral directory filled ahead of time is
 * the offline cache: nothing is fetched while verifying.
 *
 * <p>Failure ids: see {@link TdxQuote}, {@link PckRevocation}, and {@code tdx.signature.invalid},
 * {@code tdx.qe-report.signature-invalid}, {@code tdx.qe-report.binding-mismatch}, {@code
 * tdx.pck.chain.*}, {@code tdx.pck.extension-malformed}, {@code tdx.pck.not-p256}, {@code
 * tdx.attestation-key.invalid}, {@code tdx.collateral.missing}, {@code tdx.tcb-info.{malformed,
 * unsupported-version, chain.*, signer-not-tcb-signing, signature-invalid, expired, not-yet-valid,
 * fmspc-mismatch, pceid-mismatch, tdx-module-mismatch}}, the same for {@code tdx.qe-identity.}
 * (with {@code .mismatch} instead of the FMSPC ones), {@code tdx.report-data.mismatch}, {@code
 * tdx.nonce.mismatch}. Stateless and thread-safe.
 */
public final class TdxVerifier implements EvidenceVerifier {
  /** Media type of a raw TDX quote. */
  public static final String MEDIA_TYPE = "application/vnd.intel.tdx.quote";

  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor("tdx", "1", List.of(MEDIA_TYPE));
  private static final List<String> TCB_INFO = List.of("sample_tcbInfo_response", "tcbinfo.json");
  private static final List<String> QE_IDENTITY =
      List.of("sample_qeIdentity_response", "qeidentity.json");
  private static final List<String> PCK_CRL = List.of("pckcrl", "pckcrl.der");
  private static final List<String> ROOT_CRL = List.of("rootcrl.der", "rootcrl");
  private static final String TCB_INFO_CHAIN = "tcbinfo_issuer_chain.pem";
  private static final String QE_IDENTITY_CHAIN = "qeidentity_issuer_chain.pem";
  private static final HexFormat HEX = HexFormat.of();
  private static final X509Certificate INTEL_ROOT = loadRoot();

  /**
   * TCB info and QE identity as parsed from collateral with a given {@link SignedJson#digest} (the
   * same files come with every quote until Intel reissues them). Only successful parses are kept,
   * and they are only read; their dates and matching against the quote are checked per call.
   */
  private static final BoundedCache<TcbInfo> TCB_INFOS = new BoundedCache<>(64);

  private static final BoundedCache<QeIdentity> QE_IDENTITIES = new BoundedCache<>(64);

  private static X509Certificate loadRoot() {
    try (InputStream in = TdxVerifier.class.getResourceAsStream("intel_sgx_root_ca.pem")) {
      if (in == null) {
        throw new IllegalStateException("pinned Intel SGX Root CA missing");
      }
      return CertificateChains.parse(in.readAllBytes(), "tdx.pinned").get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (EvidenceException e) {
      throw new IllegalStateException("pinned Intel SGX Root CA unreadable", e);
    }
  }

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    TdxQuote quote = TdxQuote.parse(evidence);
    List<X509Certificate> anchors = context.anchorsWith(List.of(INTEL_ROOT));
    Instant time = context.time();
    Failures failures = new Failures();

    List<X509Certificate> pckChain =
        StrictPem.certificates(quote.pckChain(), "tdx.pck.chain.malformed");
    if (pckChain.size() < 2) {
      throw new EvidenceException(
          "tdx.pck.chain.malformed", "the PCK chain needs the PCK and its issuing CA");
    }
    X509Certificate pck = pckChain.get(0);
    try {
      CertificateChains.validate(pckChain, anchors, time, "tdx.pck");
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
    ECPublicKeyParameters pckKey = EcdsaP256.key(pck.getPublicKey());
    if (pckKey == null) {
      failures.add("tdx.pck.not-p256", "the PCK certificate's key is not ECDSA P-256");
    } else if (!EcdsaP256.verifyCached(
        pckKey, quote.qeReport().bytes(), quote.qeReportSignature())) {
      // Cached: a platform's QE report and its signature recur in every quote (only a success
      // for exactly this key, report and signature is remembered).
      failures.add("tdx.qe-report.signature-invalid", "the PCK did not sign the QE report");
    }
    checkBinding(quote, failures);
    ECPublicKeyParameters attestationKey = EcdsaP256.rawKey(quote.attestationKey());
    if (attestationKey == null) {
      failures.add("tdx.attestation-key.invalid", "the attestation key is not a P-256 point");
    } else if (!EcdsaP256.verify(attestationKey, quote.signedBytes(), quote.signature())) {
      failures.add(
          "tdx.signature.invalid",
          "the attestation key's signature over the quote does not verify");
    }

    PckExtensions ext = null;
    try {
      ext = PckExtensions.of(pck);
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
    Appraisal appraisal = new Appraisal();
    collateral(quote, pckChain, ext, anchors, context, appraisal, failures);
    checkReportData(quote.body().reportData(), context, failures);
    failures.throwIfAny();
    return claims(quote, ext, appraisal);
  }

  /** What the collateral says about the platform and QE. */
  private static final class Appraisal {
    TcbStatus platform = TcbStatus.LEVEL_NOT_FOUND;
    TcbStatus qe = TcbStatus.LEVEL_NOT_FOUND;
    TcbInfo.Level level;
    TcbInfo tcbInfo;
  }

  private static void checkBinding(TdxQuote quote, Failures failures) {
    byte[] expected = new byte[64];
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(quote.attestationKey());
      sha.update(quote.qeAuthData());
      System.arraycopy(sha.digest(), 0, expected, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    if (!MessageDigest.isEqual(expected, quote.qeReport().reportData())) {
      failures.add(
          "tdx.qe-report.binding-mismatch",
          "the QE report does not bind the attestation key and QE auth data");
    }
  }

  private static Optional<byte[]> first(VerificationContext c, List<String> names) {
    for (String n : names) {
      Optional<byte[]> v = c.collateral(n);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  private static void collateral(
      TdxQuote quote,
      List<X509Certificate> pckChain,
      PckExtensions ext,
      List<X509Certificate> anchors,
      VerificationContext context,
      Appraisal appraisal,
      Failures failures)
      throws EvidenceException {
    Optional<byte[]> tcbInfo = first(context, TCB_INFO);
    Optional<byte[]> tcbChain = context.collateral(TCB_INFO_CHAIN);
    Optional<byte[]> qeId = first(context, QE_IDENTITY);
    Optional<byte[]> qeChain = context.collateral(QE_IDENTITY_CHAIN);
    Optional<byte[]> pckCrl = first(context, PCK_CRL);
    Optional<byte[]> rootCrl = first(context, ROOT_CRL);
    List<String> missing = new ArrayList<>();
    requireCollateral(tcbInfo, String.join(" or ", TCB_INFO), missing);
    requireCollateral(tcbChain, TCB_INFO_CHAIN, missing);
    requireCollateral(qeId, String.join(" or ", QE_IDENTITY), missing);
    requireCollateral(qeChain, QE_IDENTITY_CHAIN, missing);
    requireCollateral(pckCrl, String.join(" or ", PCK_CRL), missing);
    requireCollateral(rootCrl, String.join(" or ", ROOT_CRL), missing);
    if (!missing.isEmpty()) {
      failures.add(
          "tdx.collateral.missing",
          "collateral needed to check revocation and TCB status is missing: "
              + String.join(", ", missing)
              + " (supply it with --collateral; Arca never fetches it while verifying)");
      return;
    }
    Instant time = context.time();
    revocation(pckChain, pckCrl.get(), rootCrl.get(), time, failures);
    SignedJson tcb =
        signed(tcbInfo.get(), "tcbInfo", tcbChain.get(), "tdx.tcb-info", anchors, time, failures);
    if (tcb != null) {
      tcbInfo(tcb, quote, ext, time, appraisal, failures);
    }
    SignedJson qe =
        signed(
            qeId.get(),
            "enclaveIdentity",
            qeChain.get(),
            "tdx.qe-identity",
            anchors,
            time,
            failures);
    if (qe != null) {
      qeIdentity(qe, quote, time, appraisal, failures);
    }
  }

  private static void requireCollateral(Optional<byte[]> value, String name, List<String> missing) {
    if (value.isEmpty()) {
      missing.add(name);
    }
  }

  /** The PCK against Intel's PCK CRL, and its issuing CA against the root CA's CRL. */
  private static void revocation(
      List<X509Certificate> pckChain,
      byte[] pckCrl,
      byte[] rootCrl,
      Instant time,
      Failures failures) {
    X509Certificate pck = pckChain.get(0);
    X509Certificate pckCa = pckChain.get(1);
    X509Certificate root = pckChain.get(pckChain.size() - 1);
    try {
      PckRevocation.check(
          pck,
          pckCa,
          PckRevocation.parse(pckCrl, "tdx.pck-crl"),
          time,
          "tdx.pck-crl",
          "tdx.pck.revoked",
          failures);
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
    try {
      PckRevocation.check(
          pckCa,
          root,
          PckRevocation.parse(rootCrl, "tdx.root-crl"),
          time,
          "tdx.root-crl",
          "tdx.pck-ca.revoked",
          failures);
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
  }

  /** The platform's TCB level from Intel's signed TCB info, and the TDX module's identity. */
  private static void tcbInfo(
      SignedJson tcb,
      TdxQuote quote,
      PckExtensions ext,
      Instant time,
      Appraisal appraisal,
      Failures failures) {
    try {
      TcbInfo info = TCB_INFOS.get(tcb.digest());
      if (info == null) {
        info = TcbInfo.parse(tcb.body());
        TCB_INFOS.put(tcb.digest(), info);
      }
      appraisal.tcbInfo = info;
      current(info.issueDate(), info.nextUpdate(), time, "tdx.tcb-info", failures);
      TdReport body = quote.body();
      if (ext != null) {
        if (!info.fmspc().equals(ext.fmspc())) {
          failures.add(
              "tdx.tcb-info.fmspc-mismatch",
              "the TCB info is for FMSPC " + info.fmspc() + ", the PCK for " + ext.fmspc());
        }
        if (!info.pceId().equals(ext.pceId())) {
          failures.add(
              "tdx.tcb-info.pceid-mismatch",
              "the TCB info is for PCE-ID " + info.pceId() + ", the PCK for " + ext.pceId());
        }
        appraisal.level = info.match(ext.sgxTcbComponents(), ext.pceSvn(), body.teeTcbSvn());
        appraisal.platform =
            appraisal.level == null ? TcbStatus.LEVEL_NOT_FOUND : appraisal.level.status();
      }
      if (info.tdxModuleMrSigner() != null && !tdxModuleMatches(info, body)) {
        failures.add(
            "tdx.tcb-info.tdx-module-mismatch",
            "MRSIGNERSEAM or SEAM attributes differ from the TDX module in the TCB info");
      }
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
  }

  private static boolean tdxModuleMatches(TcbInfo info, TdReport body) {
    byte[] seamAttributes = le8(body.seamAttributes());
    boolean attributesOk = true;
    for (int i = 0; i < 8; i++) {
      attributesOk &=
          (seamAttributes[i] & info.tdxModuleAttributesMask()[i]) == info.tdxModuleAttributes()[i];
    }
    return info.tdxModuleMrSigner().equals(HEX.formatHex(body.mrSignerSeam())) && attributesOk;
  }

  /** The quoting enclave's report against Intel's signed QE identity for TD_QE. */
  private static void qeIdentity(
      SignedJson qe, TdxQuote quote, Instant time, Appraisal appraisal, Failures failures) {
    try {
      QeIdentity identity = QE_IDENTITIES.get(qe.digest());
      if (identity == null) {
        identity = QeIdentity.parse(qe.body());
        QE_IDENTITIES.put(qe.digest(), identity);
      }
      current(identity.issueDate(), identity.nextUpdate(), time, "tdx.qe-identity", failures);
      if (!"TD_QE".equals(identity.id())) {
        failures.add(
            "tdx.qe-identity.mismatch",
            "the enclave identity is for " + identity.id() + ", not the TDX QE (TD_QE)");
      }
      List<String> differ = identity.mismatches(quote.qeReport());
      if (!differ.isEmpty()) {
        failures.add(
            "tdx.qe-identity.mismatch",
            "the QE report differs from Intel's QE identity in " + String.join(", ", differ));
      }
      appraisal.qe = identity.status(quote.qeReport().isvSvn());
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
  }

  private static byte[] le8(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  /** Verifies signed collateral; returns it when its chain and signature hold, else null. */
  private static SignedJson signed(
      byte[] json,
      String bodyField,
      byte[] chainPem,
      String prefix,
      List<X509Certificate> anchors,
      Instant time,
      Failures failures) {
    try {
      SignedJson s = SignedJson.parse(json, bodyField, prefix + ".malformed");
      List<X509Certificate> chain = StrictPem.certificates(chainPem, prefix + ".chain.malformed");
      try {
        CertificateChains.validate(chain, anchors, time, prefix);
      } catch (EvidenceException e) {
        failures.addAll(e);
      }
      String notTcbSigning = notTcbSigning(chain.get(0), anchors);
      if (notTcbSigning != null) {
        failures.add(
            prefix + ".signer-not-tcb-signing",
            "the collateral's signing certificate is not the Intel SGX TCB Signing certificate: "
                + notTcbSigning);
        return null; // content signed by any other key, a PCK included, is not Intel's word
      }
      if (!EcdsaP256.verifyCached(
          EcdsaP256.key(chain.get(0).getPublicKey()), s.signedBytes(), s.signature())) {
        failures.add(
            prefix + ".signature-invalid",
            "the collateral is not signed by the TCB Signing certificate of its issuer chain");
        return null;
      }
      // A chain failure is already recorded; the signed content is still checked so that every
      // problem (e.g. an expired signing certificate AND expired collateral) is reported.
      return s;
    } catch (EvidenceException e) {
      failures.addAll(e);
      return null;
    }
  }

  /** Subject CN of the certificate that signs TCB info and QE identity (Intel PCS API). */
  static final String TCB_SIGNING_CN = "Intel SGX TCB Signing";

  /**
   * Why {@code signer} is not the TCB Signing identity, or null when it is: its subject CN is
   * exactly {@value #TCB_SIGNING_CN}, it is not a CA, and it is issued directly by one of the
   * anchors (the Intel SGX Root CA), whose key verifies its signature. A PCK certificate (issued by
   * a PCK Platform or Processor CA) or any other leaf fails, though it may chain to the same root.
   */
  static String notTcbSigning(X509Certificate signer, List<X509Certificate> anchors) {
    List<String> cns;
    try {
      cns = commonNames(signer);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return "its subject name cannot be read";
    }
    if (!cns.equals(List.of(TCB_SIGNING_CN))) {
      return "its subject CN is " + cns + ", not '" + TCB_SIGNING_CN + "'";
    }
    if (signer.getBasicConstraints() >= 0) {
      return "it is a CA certificate";
    }
    for (X509Certificate anchor : anchors) {
      if (!anchor.getSubjectX500Principal().equals(signer.getIssuerX500Principal())) {
        continue;
      }
      try {
        signer.verify(anchor.getPublicKey());
        return null;
      } catch (GeneralSecurityException e) {
        // not this anchor's signature; try the next one with the same name
      }
    }
    return "it is not issued directly by a trusted root (issuer "
        + signer.getIssuerX500Principal().getName()
        + ")";
  }

  private static List<String> commonNames(X509Certificate c) {
    X500Name name = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    List<String> cns = new ArrayList<>();
    for (RDN rdn : name.getRDNs(BCStyle.CN)) {
      for (AttributeTypeAndValue v : rdn.getTypesAndValues()) {
        cns.add(IETFUtils.valueToString(v.getValue()));
      }
    }
    return cns;
  }

  private static void current(
      Instant issued, Instant nextUpdate, Instant time, String prefix, Failures failures) {
    if (time.isBefore(issued)) {
      failures.add(
          prefix + ".not-yet-valid", "issued at " + issued + ", after the check time " + time);
    }
    if (time.isAfter(nextUpdate)) {
      failures.add(
          prefix + ".expired",
          "valid until " + nextUpdate + " (checked at " + time + "); fetch current collateral");
    }
  }

  private static void checkReportData(
      byte[] reportData, VerificationContext context, Failures failures) {
    Optional<byte[]> expected = context.expectedReportData();
    if (expected.isPresent() && !PaddedReportData.binds(reportData, expected.get())) {
      failures.addBinding(
          "tdx.report-data.mismatch",
          "the quote binds other REPORTDATA than expected ("
              + PaddedReportData.describe(reportData.length, expected.get().length)
              + ")");
    }
    Optional<byte[]> nonce = context.expectedNonce();
    if (nonce.isPresent()) {
      byte[] n = nonce.get();
      if (n.length > reportData.length
          || !MessageDigest.isEqual(n, Arrays.copyOf(reportData, n.length))) {
        failures.addBinding(
            "tdx.nonce.mismatch",
            "the first " + n.length + " bytes of REPORTDATA are not the expected nonce");
      }
    }
  }

  private static Claims claims(TdxQuote q, PckExtensions ext, Appraisal a) {
    TdReport b = q.body();
    TcbStatus overall = TcbStatus.worse(a.platform, a.qe);
    Claims.Builder c =
        Claims.builder("tdx")
            .hardwareRooted(true)
            .securityLevel("tee")
            .deviceIdentity("tdx:ppid:" + ext.ppid())
            .debug(b.debug())
            .reportData(b.reportData())
            .measurement("mrtd", b.mrTd())
            .measurement("rtmr0", b.rtmr(0))
            .measurement("rtmr1", b.rtmr(1))
            .measurement("rtmr2", b.rtmr(2))
            .measurement("rtmr3", b.rtmr(3))
            .measurement("mrseam", b.mrSeam())
            .measurement("mrsignerseam", b.mrSignerSeam())
            .measurement("mrconfigid", b.mrConfigId())
            .measurement("mrowner", b.mrOwner())
            .measurement("mrownerconfig", b.mrOwnerConfig());
    if (b.isTdx15()) {
      c.measurement("mrservicetd", b.mrServiceTd());
    }
    if (b.debug()) {
      c.insecureFlag("tdx.td.debug");
    }
    if (overall != TcbStatus.UP_TO_DATE) {
      c.insecureFlag(overall.flagId("tdx.tcb"));
    }
    c.tcb("tcbStatus", overall.jsonName());
    c.tcb("platformTcbStatus", a.platform.jsonName());
    c.tcb("qeTcbStatus", a.qe.jsonName());
    c.tcb("teeTcbSvn", HEX.formatHex(b.teeTcbSvn()));
    c.tcb("pceSvn", Integer.toString(ext.pceSvn()));
    c.tcb("qeIsvSvn", Integer.toString(q.qeReport().isvSvn()));
    c.tcb("sgxTcbComponents", Arrays.toString(ext.sgxTcbComponents()));
    if (a.level != null) {
      c.tcb("tcbDate", a.level.tcbDate());
    }
    if (a.tcbInfo != null) {
      c.tcb("tcbEvaluationDataNumber", Long.toString(a.tcbInfo.tcbEvaluationDataNumber()));
    }

    c.raw("version", q.version());
    c.raw("bodyType", q.bodyType());
    c.raw("tdxModule", b.isTdx15() ? "1.5" : "1.0");
    c.raw("qeVendorId", HEX.formatHex(q.qeVendorId()));
    c.raw("teeTcbSvn", HEX.formatHex(b.teeTcbSvn()));
    c.raw("mrSeam", HEX.formatHex(b.mrSeam()));
    c.raw("mrSignerSeam", HEX.formatHex(b.mrSignerSeam()));
    c.raw("seamAttributes", String.format("%016x", b.seamAttributes()));
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("raw", String.format("%016x", b.tdAttributes()));
    attrs.put("debug", b.debug());
    attrs.put("septVeDisable", (b.tdAttributes() & (1L << 28)) != 0);
    attrs.put("pks", (b.tdAttributes() & (1L << 30)) != 0);
    attrs.put("kl", (b.tdAttributes() & (1L << 31)) != 0);
    attrs.put("perfmon", (b.tdAttributes() & (1L << 63)) != 0);
    c.raw("tdAttributes", attrs);
    c.raw("xfam", String.format("%016x", b.xfam()));
    c.raw("mrTd", HEX.formatHex(b.mrTd()));
    c.raw("mrConfigId", HEX.formatHex(b.mrConfigId()));
    c.raw("mrOwner", HEX.formatHex(b.mrOwner()));
    c.raw("mrOwnerConfig", HEX.formatHex(b.mrOwnerConfig()));
    for (int i = 0; i < 4; i++) {
      c.raw("rtmr" + i, HEX.formatHex(b.rtmr(i)));
    }
    c.raw("reportData", HEX.formatHex(b.reportData()));
    if (b.isTdx15()) {
      c.raw("teeTcbSvn2", HEX.formatHex(b.teeTcbSvn2()));
      c.raw("mrServiceTd", HEX.formatHex(b.mrServiceTd()));
    }
    c.raw("fmspc", ext.fmspc());
    c.raw("pceId", ext.pceId());
    c.raw("tcbStatus", overall.jsonName());
    c.raw("advisoryIds", a.level == null ? List.of() : a.level.advisoryIds());
    c.raw("qeMrSigner", HEX.formatHex(q.qeReport().mrSigner()));
    c.raw("qeIsvProdId", q.qeReport().isvProdId());
    c.raw("trailingBytes", q.trailingBytes());

    c.trustworthiness(
        Trustworthiness.empty()
            .with(Trustworthiness.Claim.HARDWARE, overall.hardwareTrustworthiness())
            .with(Trustworthiness.Claim.INSTANCE_IDENTITY, Trustworthiness.AFFIRMING)
            .with(
                Trustworthiness.Claim.CONFIGURATION,
                b.debug() ? Trustworthiness.CONTRAINDICATED : Trustworthiness.NO_CLAIM));
    return c.build();
  }
}
