// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Which Intel collateral a TDX quote needs, and what a collateral file is for, so a store can file
 * collateral when it is uploaded and pick it for a quote later (Intel PCS API): TCB info is per
 * FMSPC, the PCK CRL per PCK CA ({@code platform} or {@code processor}, the PCS {@code ca}
 * parameter), the QE identity per enclave id ({@code TD_QE}).
 *
 * <p>These are selections, not trust decisions: nothing here checks a signature. {@link
 * TdxVerifier} checks every signature, chain, date, FMSPC and PCE-ID of what it is given, so a
 * wrong pick fails verification rather than passing it.
 */
public final class TdxCollateralKey {
  /** The PCK CA of Intel's multi-package platforms ({@code Intel SGX PCK Platform CA}). */
  public static final String PLATFORM_CA = "platform";

  /** The PCK CA of single-package processors ({@code Intel SGX PCK Processor CA}). */
  public static final String PROCESSOR_CA = "processor";

  /**
   * When a signed collateral document was issued and when it stops being current.
   *
   * @param id the document's id ({@code TDX}/{@code SGX} for TCB info, {@code TD_QE} for the QE)
   * @param issueDate its {@code issueDate}
   * @param nextUpdate its {@code nextUpdate}
   */
  public record Dates(String id, Instant issueDate, Instant nextUpdate) {}

  private TdxCollateralKey() {}

  /**
   * The FMSPC of the platform that made {@code quote}: the FMSPC extension of the PCK certificate
   * the quote carries, 12 lower-case hex digits.
   *
   * @throws EvidenceException as {@link TdxQuote#parse}; {@code tdx.pck.chain.malformed}; {@code
   *     tdx.pck.extension-malformed}
   */
  public static String fmspcOfQuote(byte[] quote) throws EvidenceException {
    return PckExtensions.of(pck(quote).get(0)).fmspc();
  }

  /**
   * The CA that issued the quote's PCK certificate, whose CRL the verifier needs: {@value
   * #PLATFORM_CA} or {@value #PROCESSOR_CA}.
   *
   * @throws EvidenceException as {@link #fmspcOfQuote}; {@code tdx.pck.chain.unknown-ca} when the
   *     issuer is neither PCK CA
   */
  public static String pckCaOfQuote(byte[] quote) throws EvidenceException {
    return pckCa(pck(quote).get(0).getIssuerX500Principal(), "tdx.pck.chain.unknown-ca");
  }

  /**
   * The CA whose certificates a PCK CRL (DER or PEM) revokes, from its issuer: {@value
   * #PLATFORM_CA} or {@value #PROCESSOR_CA}.
   *
   * @throws EvidenceException {@code tdx.pck-crl.malformed}; {@code tdx.pck-crl.unknown-ca} when
   *     the issuer is neither PCK CA (the root CA's CRL, say)
   */
  public static String pckCaOfCrl(byte[] crl) throws EvidenceException {
    X509CRL parsed = PckRevocation.parse(crl, "tdx.pck-crl");
    return pckCa(parsed.getIssuerX500Principal(), "tdx.pck-crl.unknown-ca");
  }

  /**
   * The FMSPC a TCB info document (the PCS response body {@code {"tcbInfo": ..., "signature":
   * ...}}) is for, 12 lower-case hex digits.
   *
   * @throws EvidenceException {@code tdx.tcb-info.malformed}, {@code
   *     tdx.tcb-info.unsupported-version}
   */
  public static String fmspcOfTcbInfo(byte[] json) throws EvidenceException {
    return tcbInfo(json).fmspc().toLowerCase(Locale.ROOT);
  }

  /**
   * The id and dates of a TCB info document.
   *
   * @throws EvidenceException as {@link #fmspcOfTcbInfo}
   */
  public static Dates datesOfTcbInfo(byte[] json) throws EvidenceException {
    TcbInfo info = tcbInfo(json);
    return new Dates(info.id(), info.issueDate(), info.nextUpdate());
  }

  /**
   * The id ({@code TD_QE} for the TDX quoting enclave) and dates of a QE identity document (the PCS
   * response body {@code {"enclaveIdentity": ..., "signature": ...}}).
   *
   * @throws EvidenceException {@code tdx.qe-identity.malformed}, {@code
   *     tdx.qe-identity.unsupported-version}
   */
  public static Dates datesOfQeIdentity(byte[] json) throws EvidenceException {
    SignedJson s = SignedJson.parse(json, "enclaveIdentity", "tdx.qe-identity.malformed");
    QeIdentity identity = QeIdentity.parse(s.body());
    return new Dates(identity.id(), identity.issueDate(), identity.nextUpdate());
  }

  private static TcbInfo tcbInfo(byte[] json) throws EvidenceException {
    SignedJson s = SignedJson.parse(json, "tcbInfo", "tdx.tcb-info.malformed");
    return TcbInfo.parse(s.body());
  }

  private static List<X509Certificate> pck(byte[] quote) throws EvidenceException {
    List<X509Certificate> chain =
        StrictPem.certificates(TdxQuote.parse(quote).pckChain(), "tdx.pck.chain.malformed");
    if (chain.isEmpty()) {
      throw new EvidenceException("tdx.pck.chain.malformed", "the quote carries no PCK");
    }
    return chain;
  }

  private static String pckCa(X500Principal issuer, String unknownId) throws EvidenceException {
    String name = issuer.getName(X500Principal.RFC2253);
    if (name.contains("CN=Intel SGX PCK Platform CA")) {
      return PLATFORM_CA;
    }
    if (name.contains("CN=Intel SGX PCK Processor CA")) {
      return PROCESSOR_CA;
    }
    throw new EvidenceException(
        unknownId, "issued by " + name + ", neither the PCK Platform CA nor the PCK Processor CA");
  }
}
