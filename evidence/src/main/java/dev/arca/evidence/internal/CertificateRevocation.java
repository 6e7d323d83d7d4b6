// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Failures;
import dev.arca.evidence.VerificationContext;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Revocation by the CRLs an issuer publishes (AMD's KDS, a TPM maker, an internal CA), supplied
 * offline as collateral: a context's collateral files named {@code *.crl} (DER or PEM), so an
 * appraisal fetches nothing at run time and a replay sees the same lists.
 *
 * <p>Fail closed: a CRL whose issuer names a certificate's issuer must be signed by that issuer
 * (whose keyUsage, when present, must allow {@code cRLSign}) and current at the verification time;
 * otherwise the chain fails, rather than the list being ignored. A certificate a current list names
 * fails as {@code <prefix>.chain.revoked}.
 */
public final class CertificateRevocation {
  /** Index of cRLSign in {@link X509Certificate#getKeyUsage()} (RFC 5280 §4.2.1.3). */
  private static final int CRL_SIGN = 6;

  private CertificateRevocation() {}

  /**
   * The CRLs among a context's collateral (files named {@code *.crl}).
   *
   * @throws EvidenceException {@code <prefix>.crl.malformed} for a file that is not a CRL
   */
  public static List<X509CRL> crls(VerificationContext context, String prefix)
      throws EvidenceException {
    List<X509CRL> out = new ArrayList<>();
    for (String name : context.collateralNames()) {
      if (name.endsWith(".crl")) {
        out.addAll(parse(context.collateral(name).orElseThrow(), name, prefix));
      }
    }
    return out;
  }

  /** Parses DER or PEM CRLs. */
  static List<X509CRL> parse(byte[] encoded, String name, String prefix) throws EvidenceException {
    try {
      Collection<? extends java.security.cert.CRL> read =
          CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(encoded));
      List<X509CRL> out = new ArrayList<>();
      for (java.security.cert.CRL c : read) {
        out.add((X509CRL) c);
      }
      if (out.isEmpty()) {
        throw new CRLException("no CRL in it");
      }
      return out;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new EvidenceException(
          prefix + ".crl.malformed", "collateral " + name + " is not a CRL: " + e.getMessage());
    }
  }

  /**
   * Checks every certificate of {@code chain} (leaf first, then its issuers, up to {@code anchor})
   * against the CRLs of its issuer among {@code crls}; the anchor itself is trusted by pinning.
   *
   * @throws EvidenceException with one failure per revoked certificate or unusable list
   */
  public static void check(
      List<X509Certificate> chain,
      X509Certificate anchor,
      List<X509CRL> crls,
      Instant time,
      String prefix)
      throws EvidenceException {
    if (crls.isEmpty()) {
      return;
    }
    List<X509Certificate> path = new ArrayList<>(chain);
    if (!path.get(path.size() - 1).equals(anchor)) {
      path.add(anchor);
    }
    Failures failures = new Failures();
    // The anchor is trusted by pinning, not by a list it signs itself.
    for (int i = 0; i + 1 < path.size(); i++) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = path.get(i + 1);
      for (X509CRL crl : crls) {
        if (crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) {
          checkOne(cert, issuer, crl, time, prefix, failures);
        }
      }
    }
    failures.throwIfAny();
  }

  private static void checkOne(
      X509Certificate cert,
      X509Certificate issuer,
      X509CRL crl,
      Instant time,
      String prefix,
      Failures failures) {
    String who = cert.getSubjectX500Principal().getName();
    try {
      crl.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException e) {
      failures.add(
          prefix + ".crl.signature-invalid",
          "a CRL naming issuer "
              + crl.getIssuerX500Principal().getName()
              + " is not signed by that issuer's key");
      return;
    }
    boolean[] usage = issuer.getKeyUsage();
    if (usage != null && (usage.length <= CRL_SIGN || !usage[CRL_SIGN])) {
      failures.add(
          prefix + ".crl.issuer-key-usage",
          "the CRL's issuer " + issuer.getSubjectX500Principal().getName() + " lacks cRLSign");
      return;
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Instant nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
    if (time.isBefore(thisUpdate) || nextUpdate == null || time.isAfter(nextUpdate)) {
      failures.add(
          prefix + ".crl.not-current",
          "the CRL of "
              + crl.getIssuerX500Principal().getName()
              + " is valid from "
              + thisUpdate
              + " to "
              + nextUpdate
              + ", not at "
              + time
              + "; supply the issuer's current list");
      return;
    }
    if (crl.isRevoked(cert)) {
      failures.add(
          prefix + ".chain.revoked",
          "certificate "
              + who
              + " (serial "
              + cert.getSerialNumber().toString(16)
              + ") is revoked"
              + " by its issuer's CRL");
    }
  }
}
