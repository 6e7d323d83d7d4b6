// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Failures;
import dev.arca.evidence.internal.BoundedCache;
import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Revocation of a PCK chain with Intel's CRLs (Intel "SGX PCK Certificate and Certificate
 * Revocation List Profile Specification"): the PCK CRL, signed by the PCK's issuing CA, must not
 * list the PCK; the root CA CRL, signed by the root, must not list the issuing CA. Each CRL must be
 * current at the verification time (thisUpdate &lt;= t &lt;= nextUpdate).
 *
 * <p>Failure ids: {@code tdx.pck-crl.malformed}, {@code .signature-invalid}, {@code
 * .issuer-mismatch}, {@code .expired}, {@code .not-yet-valid} (same under {@code tdx.root-crl.}),
 * {@code tdx.pck.revoked}, {@code tdx.pck-ca.revoked}.
 */
public final class PckRevocation {
  private static final java.security.Provider BC = new BouncyCastleProvider();

  private static final BoundedCache<Boolean> VERIFIED = new BoundedCache<>(256);

  /** Parsed CRLs by their bytes: the same CRL comes with every quote until it is reissued. */
  private static final BoundedCache<X509CRL> PARSED = new BoundedCache<>(64);

  private PckRevocation() {}

  /** The CRL's signature check, remembered by CRL and issuer key (CRLs are shared by quotes). */
  private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
    try {
      String key = BoundedCache.key(crl.getEncoded(), issuer.getPublicKey().getEncoded());
      if (VERIFIED.get(key) != null) {
        return true;
      }
      crl.verify(issuer.getPublicKey(), BC);
      VERIFIED.put(key, Boolean.TRUE);
      return true;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Parses a CRL, DER or PEM. */
  public static X509CRL parse(byte[] crl, String prefix) throws EvidenceException {
    if (crl.length == 0) {
      throw new EvidenceException(prefix + ".malformed", "the CRL is empty");
    }
    String key = BoundedCache.key(crl);
    X509CRL cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    X509CRL parsed;
    try {
      parsed =
          (X509CRL)
              CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl));
      // The JDK reads a signature BIT STRING with unused bits by dropping them, so a CRL whose
      // unused-bits count was altered would still verify; only the DER form with none is taken.
      if (org.bouncycastle.asn1.x509.CertificateList.getInstance(parsed.getEncoded())
              .getSignature()
              .getPadBits()
          != 0) {
        throw new EvidenceException(prefix + ".malformed", "the CRL signature has unused bits");
      }
      PARSED.put(key, parsed);
      return parsed;
    } catch (CRLException | CertificateException | RuntimeException e) {
      throw new EvidenceException(prefix + ".malformed", "the CRL cannot be parsed");
    }
  }

  /**
   * Checks {@code subject} against {@code crl}, which {@code issuer} must have signed and which
   * must be current at {@code time}; problems go to {@code failures}.
   *
   * @param prefix {@code tdx.pck-crl} or {@code tdx.root-crl}
   * @param revokedId the failure id when {@code subject} is listed
   */
  public static void check(
      X509Certificate subject,
      X509Certificate issuer,
      X509CRL crl,
      Instant time,
      String prefix,
      String revokedId,
      Failures failures) {
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      failures.add(
          prefix + ".issuer-mismatch",
          "the CRL is issued by "
              + crl.getIssuerX500Principal().getName()
              + ", not by "
              + issuer.getSubjectX500Principal().getName());
      return;
    }
    if (!signedBy(crl, issuer)) {
      failures.add(prefix + ".signature-invalid", "the CRL is not signed by its issuer");
      return;
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (time.isBefore(thisUpdate)) {
      failures.add(
          prefix + ".not-yet-valid",
          "the CRL is issued at " + thisUpdate + " (checked at " + time + ")");
    }
    if (crl.getNextUpdate() == null || time.isAfter(crl.getNextUpdate().toInstant())) {
      failures.add(
          prefix + ".expired",
          "the CRL's next update was "
              + (crl.getNextUpdate() == null ? "not given" : crl.getNextUpdate().toInstant())
              + " (checked at "
              + time
              + "); fetch current collateral");
    }
    if (crl.getRevokedCertificate(subject) != null) {
      failures.add(
          revokedId,
          "certificate "
              + subject.getSubjectX500Principal().getName()
              + " (serial "
              + subject.getSerialNumber().toString(16)
              + ") is revoked");
    }
  }
}
