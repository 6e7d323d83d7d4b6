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
 * FMSPC, a CRL per issuing CA (the PCK CRL of the CA that issued the quote's PCK, Intel's Platform
 * or Processor CA; the root CRL of the root its chain ends at), the QE identity per enclave id
 * ({@code TD_QE}). CAs are named by their canonical X.500 names, so a test platform's CAs never
 * pick Intel's CRLs, nor the reverse.
 *
 * <p>These are selections, not trust decisions: nothing here checks a signature. {@link
 * TdxVerifier} checks every signature, chain, date, FMSPC and PCE-ID of what it is given, so a
 * wrong pick fails verification rather than passing it.
 */
public final class TdxCollateralKey {
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
   * What selects a quote's collateral, read with one parse of the quote and its PCK chain.
   *
   * @param fmspc as {@link #fmspcOfQuote}
   * @param pckIssuer as {@link #pckIssuerOfQuote}
   * @param root as {@link #rootOfQuote}
   */
  public record QuoteKeys(String fmspc, String pckIssuer, String root) {
    /**
     * The keys of {@code quote}.
     *
     * @throws EvidenceException as {@link #fmspcOfQuote}
     */
    public static QuoteKeys of(byte[] quote) throws EvidenceException {
      List<X509Certificate> chain = pck(quote);
      X509Certificate pck = chain.get(0);
      return new QuoteKeys(
          PckExtensions.of(pck).fmspc(),
          canonical(pck.getIssuerX500Principal()),
          canonical(chain.get(chain.size() - 1).getIssuerX500Principal()));
    }
  }

  /**
   * The FMSPC of the platform that made {@code quote}: the FMSPC extension of the PCK certificate
   * the quote carries, 12 lower-case hex digits.
   *
   * @throws EvidenceException as {@link TdxQuote#parse}; {@code tdx.pck.chain.malformed}; {@code
   *     tdx.pck.extension-malformed}
   */
  public static String fmspcOfQuote(byte[] quote) throws EvidenceException {
    return QuoteKeys.of(quote).fmspc();
  }

  /**
   * The canonical name of the CA that issued the quote's PCK certificate, whose CRL the verifier
   * needs (the key {@link #issuerOfCrl} gives that CRL).
   *
   * @throws EvidenceException as {@link #fmspcOfQuote}
   */
  public static String pckIssuerOfQuote(byte[] quote) throws EvidenceException {
    return QuoteKeys.of(quote).pckIssuer();
  }

  /**
   * The canonical name of the root the quote's PCK chain ends at (the issuer of its last
   * certificate), whose CRL the verifier needs.
   *
   * @throws EvidenceException as {@link #fmspcOfQuote}
   */
  public static String rootOfQuote(byte[] quote) throws EvidenceException {
    return QuoteKeys.of(quote).root();
  }

  /**
   * The canonical name of a CRL's issuer (DER or PEM).
   *
   * @throws EvidenceException {@code <prefix>.malformed} when it is not a CRL
   */
  public static String issuerOfCrl(byte[] crl, String prefix) throws EvidenceException {
    X509CRL parsed = PckRevocation.parse(crl, prefix);
    return canonical(parsed.getIssuerX500Principal());
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

  private static String canonical(X500Principal name) {
    return name.getName(X500Principal.CANONICAL);
  }
}
