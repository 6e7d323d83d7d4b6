package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.CertificateChains;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
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
 * tpm2.ek.chain.expired}, {@code tpm2.ek.chain.not-yet-valid}, {@code tpm2.ek.key-mismatch}.
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
    CertificateChains.validate(chain, anchors, time, "tpm2.ek");
    return chain.get(0);
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
