// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.internal.CertificateRevocation;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a TPM's endorsement-key certificate: that it chains to a manufacturer CA at a given time
 * and that it certifies the EK the TPM presents. The enrolment service runs this before {@link
 * MakeCredential}; the verifier runs it when a bundle carries an EK certificate.
 *
 * <p>No manufacturer root is pinned in Arca yet ({@link #pinnedRoots()} is empty): deployments
 * configure their TPM vendors' CAs (or swtpm-localca's root in tests) as trust anchors.
 *
 * <p>Failure ids: {@code tpm2.ek.chain.malformed}, {@code tpm2.ek.chain.signature-invalid}, {@code
 * tpm2.ek.chain.untrusted-root}, {@code tpm2.ek.chain.issuer-not-ca}, {@code
 * tpm2.ek.chain.issuer-key-usage}, {@code tpm2.ek.chain.path-length-exceeded}, {@code
 * tpm2.ek.chain.expired}, {@code tpm2.ek.chain.not-yet-valid}, {@code tpm2.ek.profile.ca}, {@code
 * tpm2.ek.profile.extended-key-usage}, {@code tpm2.ek.profile.key-usage} (TCG EK Credential
 * Profile), {@code tpm2.ek.key-mismatch}.
 */
public final class EkCertificates {
  private EkCertificates() {}

  /** Manufacturer roots pinned in Arca; none yet. */
  public static List<X509Certificate> pinnedRoots() {
    return List.of();
  }

  /**
   * Validates an EK certificate and its intermediates against {@code anchors} at {@code time}.
   *
   * @param ekCertificate the EK certificate (DER or PEM)
   * @param intermediates certificates between it and a root, leaf-most first (DER or PEM,
   *     concatenated); empty when the root issued the EK certificate directly
   * @return the EK certificate
   * @throws EvidenceException with the ids above
   */
  public static X509Certificate verifyChain(
      byte[] ekCertificate, byte[] intermediates, List<X509Certificate> anchors, Instant time)
      throws EvidenceException {
    return verifyChain(ekCertificate, intermediates, anchors, time, List.of());
  }

  /**
   * The same, and no certificate of the chain is revoked by the manufacturer CRLs in {@code crls}
   * ({@code CertificateRevocation}: {@code tpm2.ek.chain.revoked}, {@code tpm2.ek.crl.*}).
   */
  public static X509Certificate verifyChain(
      byte[] ekCertificate,
      byte[] intermediates,
      List<X509Certificate> anchors,
      Instant time,
      List<X509CRL> crls)
      throws EvidenceException {
    List<X509Certificate> chain =
        new ArrayList<>(CertificateChains.parse(ekCertificate, "tpm2.ek"));
    if (chain.size() != 1) {
      throw new EvidenceException(
          "tpm2.ek.chain.malformed",
          "the EK certificate file holds " + chain.size() + " certificates");
    }
    if (intermediates.length > 0) {
      chain.addAll(CertificateChains.parse(intermediates, "tpm2.ek"));
    }
    X509Certificate anchor = CertificateChains.validate(chain, anchors, time, "tpm2.ek");
    CertificateRevocation.check(chain, anchor, crls, time, "tpm2.ek");
    requireEkProfile(chain.get(0));
    return chain.get(0);
  }

  /** tcg-kp-EKCertificate (TCG EK Credential Profile 2.x, §3.2.16). */
  static final String TCG_KP_EK_CERTIFICATE = "2.23.133.8.1";

  private static final int KEY_ENCIPHERMENT = 2;
  private static final int KEY_AGREEMENT = 4;

  /**
   * Checks the EK certificate against the TCG EK Credential Profile: it is not a CA; its
   * extendedKeyUsage, when present, contains tcg-kp-EKCertificate; its keyUsage, when present,
   * allows keyEncipherment for an RSA EK and keyAgreement for an ECC EK (an EK decrypts or agrees
   * on the credential-activation seed and never signs).
   *
   * @throws EvidenceException {@code tpm2.ek.profile.ca}, {@code
   *     tpm2.ek.profile.extended-key-usage} or {@code tpm2.ek.profile.key-usage}
   */
  static void requireEkProfile(X509Certificate ek) throws EvidenceException {
    if (ek.getBasicConstraints() >= 0) {
      throw new EvidenceException(
          "tpm2.ek.profile.ca", "the EK certificate is a CA certificate, not an end entity");
    }
    List<String> eku;
    try {
      eku = ek.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new EvidenceException(
          "tpm2.ek.profile.extended-key-usage",
          "the EK certificate's extendedKeyUsage is malformed");
    }
    if (eku != null && !eku.contains(TCG_KP_EK_CERTIFICATE)) {
      throw new EvidenceException(
          "tpm2.ek.profile.extended-key-usage",
          "the EK certificate's extendedKeyUsage " + eku + " lacks tcg-kp-EKCertificate");
    }
    boolean[] ku = ek.getKeyUsage();
    if (ku != null) {
      String alg = ek.getPublicKey().getAlgorithm();
      int needed = "RSA".equals(alg) ? KEY_ENCIPHERMENT : KEY_AGREEMENT;
      if (ku.length <= needed || !ku[needed]) {
        throw new EvidenceException(
            "tpm2.ek.profile.key-usage",
            "the "
                + alg
                + " EK certificate's keyUsage lacks "
                + (needed == KEY_ENCIPHERMENT ? "keyEncipherment" : "keyAgreement"));
      }
    }
  }

  /**
   * Checks that {@code certificate} certifies {@code ek}: same RSA modulus or same EC point.
   *
   * @throws EvidenceException {@code tpm2.ek.key-mismatch} when it does not
   */
  public static void requireSameKey(X509Certificate certificate, TpmtPublic ek)
      throws EvidenceException {
    PublicKey certified = certificate.getPublicKey();
    PublicKey presented = ek.toPublicKey();
    boolean same;
    if (certified instanceof java.security.interfaces.RSAPublicKey c
        && presented instanceof java.security.interfaces.RSAPublicKey p) {
      same = equal(c.getModulus(), p.getModulus());
    } else if (certified instanceof java.security.interfaces.ECPublicKey c
        && presented instanceof java.security.interfaces.ECPublicKey p) {
      same =
          equal(c.getW().getAffineX(), p.getW().getAffineX())
              && equal(c.getW().getAffineY(), p.getW().getAffineY());
    } else {
      same = false;
    }
    if (!same) {
      throw new EvidenceException(
          "tpm2.ek.key-mismatch", "the EK certificate certifies another key than the TPM's EK");
    }
  }

  private static boolean equal(BigInteger a, BigInteger b) {
    return MessageDigest.isEqual(a.toByteArray(), b.toByteArray());
  }
}
