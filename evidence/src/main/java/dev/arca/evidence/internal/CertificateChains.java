// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import dev.arca.evidence.EvidenceException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Validates certificate chains against pinned roots at a given time.
 *
 * <p>A chain is leaf first. Each certificate must be signed by the next one; the last must be
 * signed by (or have the public key of) one of the anchors — anchors are matched by public key, so
 * a root re-issued with a new validity period still anchors. Issuers in the chain must be CA
 * certificates (basicConstraints cA), whose keyUsage, when present, includes keyCertSign, and whose
 * pathLenConstraint is not exceeded by the CA certificates below them (RFC 5280 §4.2.1.3, §4.2.1.9;
 * an anchor outside the chain is trusted by its key, not by its extensions). Every certificate in
 * the chain must be valid at the given time; an anchor outside the chain is trusted by its key
 * alone.
 *
 * <p>Signature checks are cached by the chain's and anchors' fingerprints (bounded, shared,
 * thread-safe), so verifying many pieces of evidence from one device costs only the time check.
 * Failure ids: {@code <prefix>.chain.malformed}, {@code .chain.signature-invalid}, {@code
 * .chain.untrusted-root}, {@code .chain.issuer-not-ca}, {@code .chain.issuer-key-usage}, {@code
 * .chain.path-length-exceeded}, {@code .chain.expired}, {@code .chain.not-yet-valid}.
 */
public final class CertificateChains {
  private static final Provider BC = new BouncyCastleProvider();
  private static final int CACHE_SIZE = 4096;

  /** A chain whose signatures verified: its common validity window and the anchor it ends at. */
  private record Verified(Instant notBefore, Instant notAfter, X509Certificate anchor) {}

  /** Chains whose signatures verified, by fingerprint of chain and anchors. */
  private static final Map<String, Verified> VERIFIED =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  private CertificateChains() {}

  /** Parsed certificate lists by the SHA-256 of the exact input bytes (successes only). */
  private static final BoundedCache<List<X509Certificate>> PARSED = new BoundedCache<>(1024);

  /**
   * Parses DER or PEM certificates (one or many, concatenated), into an unmodifiable list.
   *
   * <p>Input parsed before is answered from a bounded cache keyed by the SHA-256 of its whole bytes
   * (an SEV-SNP VCEK and its ASK/ARK collateral recur with every report of a chip): a hit is the
   * parse of exactly these bytes. Only successes are kept, so malformed input is always parsed and
   * refused. Signatures and validity are not part of parsing: {@link #validate} checks them.
   */
  public static List<X509Certificate> parse(byte[] derOrPem, String prefix)
      throws EvidenceException {
    String key = BoundedCache.key(derOrPem);
    List<X509Certificate> cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    List<X509Certificate> parsed = List.copyOf(parseUncached(derOrPem, prefix));
    PARSED.put(key, parsed);
    return parsed;
  }

  private static List<X509Certificate> parseUncached(byte[] derOrPem, String prefix)
      throws EvidenceException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> certs =
          cf.generateCertificates(new ByteArrayInputStream(derOrPem));
      List<X509Certificate> out = new ArrayList<>();
      for (var c : certs) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new EvidenceException(prefix + ".chain.malformed", "no certificate found");
      }
      requireWhole(derOrPem, out, prefix);
      for (X509Certificate c : out) {
        requireZeroPadBits(c, prefix);
      }
      return out;
    } catch (CertificateException | RuntimeException e) {
      throw new EvidenceException(
          prefix + ".chain.malformed", "certificate cannot be parsed: " + e.getMessage(), e);
    }
  }

  /**
   * The JDK's factory stops quietly at a damaged last certificate; refuse input it did not read
   * whole, so a chain can never be shortened by corrupting its end.
   */
  private static void requireWhole(byte[] input, List<X509Certificate> certs, String prefix)
      throws EvidenceException, java.security.cert.CertificateEncodingException {
    String text = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN")) {
      int begins = text.split("-----BEGIN CERTIFICATE-----", -1).length - 1;
      if (begins != certs.size()) {
        throw new EvidenceException(
            prefix + ".chain.malformed",
            begins + " PEM certificates given but only " + certs.size() + " could be read");
      }
      return;
    }
    long read = 0;
    for (X509Certificate c : certs) {
      read += c.getEncoded().length;
    }
    if (read != input.length) {
      throw new EvidenceException(
          prefix + ".chain.malformed",
          "the certificates end at byte " + read + " of " + input.length);
    }
  }

  /**
   * A signature BIT STRING must have no unused bits: otherwise a bit of the certificate could
   * change without changing what is verified.
   */
  private static void requireZeroPadBits(X509Certificate c, String prefix)
      throws EvidenceException, java.security.cert.CertificateEncodingException {
    if (org.bouncycastle.asn1.x509.Certificate.getInstance(c.getEncoded())
            .getSignature()
            .getPadBits()
        != 0) {
      throw new EvidenceException(
          prefix + ".chain.malformed",
          "certificate " + subject(c) + " has a signature with non-zero padding bits");
    }
  }

  /**
   * Validates {@code chain} (leaf first) against {@code anchors} at {@code time}.
   *
   * @return the anchor the chain ends at
   * @throws EvidenceException with one failure per problem found
   */
  public static X509Certificate validate(
      List<X509Certificate> chain, List<X509Certificate> anchors, Instant time, String prefix)
      throws EvidenceException {
    if (chain.isEmpty()) {
      throw new EvidenceException(prefix + ".chain.malformed", "the certificate chain is empty");
    }
    String key = fingerprint(chain, anchors);
    Verified verified = VERIFIED.get(key);
    if (verified == null) {
      // The anchor is cached with the window: finding it again costs a signature check per anchor.
      X509Certificate found = verifySignatures(chain, anchors, prefix);
      Instant[] w = validityWindow(chain);
      verified = new Verified(w[0], w[1], found);
      VERIFIED.put(key, verified);
    }
    X509Certificate anchor = verified.anchor();
    Instant[] window = {verified.notBefore(), verified.notAfter()};
    if (time.isBefore(window[0])) {
      throw new EvidenceException(
          prefix + ".chain.not-yet-valid",
          "a certificate in the chain is not valid until "
              + window[0]
              + " (checked at "
              + time
              + ")");
    }
    if (time.isAfter(window[1])) {
      throw new EvidenceException(
          prefix + ".chain.expired",
          "a certificate in the chain expired at " + window[1] + " (checked at " + time + ")");
    }
    return anchor;
  }

  private static X509Certificate verifySignatures(
      List<X509Certificate> chain, List<X509Certificate> anchors, String prefix)
      throws EvidenceException {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate issuer = chain.get(i + 1);
      if (issuer.getBasicConstraints() < 0) {
        throw new EvidenceException(
            prefix + ".chain.issuer-not-ca",
            "certificate " + (i + 1) + " (" + subject(issuer) + ") issues another but is not a CA");
      }
      boolean[] keyUsage = issuer.getKeyUsage();
      if (keyUsage != null && (keyUsage.length <= KEY_CERT_SIGN || !keyUsage[KEY_CERT_SIGN])) {
        throw new EvidenceException(
            prefix + ".chain.issuer-key-usage",
            "certificate "
                + (i + 1)
                + " ("
                + subject(issuer)
                + ") issues another but its keyUsage lacks keyCertSign");
      }
      int below = intermediatesBelow(chain, i + 1);
      if (below > issuer.getBasicConstraints()) {
        throw new EvidenceException(
            prefix + ".chain.path-length-exceeded",
            "certificate "
                + (i + 1)
                + " ("
                + subject(issuer)
                + ") allows "
                + issuer.getBasicConstraints()
                + " CA certificates below it, but the chain has "
                + below);
      }
      verify(chain.get(i), issuer, i, prefix);
    }
    X509Certificate top = chain.get(chain.size() - 1);
    X509Certificate anchor = findAnchor(top, anchors);
    if (anchor != null && sameKey(anchor, top) && !sameEncoding(anchor, top)) {
      // The chain carries its own copy of the root: its content is trusted only if its
      // self-signature holds, so nobody can edit a pinned root's names, validity or extensions.
      verify(top, top, chain.size() - 1, prefix);
    }
    if (anchor == null) {
      throw new EvidenceException(
          prefix + ".chain.untrusted-root",
          "the chain ends at " + subject(top) + ", which is not signed by a pinned root");
    }
    return anchor;
  }

  /** Index of keyCertSign in {@link X509Certificate#getKeyUsage()} (RFC 5280 §4.2.1.3). */
  private static final int KEY_CERT_SIGN = 5;

  /**
   * The intermediate CA certificates between the leaf (index 0) and {@code chain[issuer]}, not
   * counting self-issued ones: what a pathLenConstraint limits (RFC 5280 §4.2.1.9, §6.1.4 (l)).
   */
  private static int intermediatesBelow(List<X509Certificate> chain, int issuer) {
    int n = 0;
    for (int k = 1; k < issuer; k++) {
      X509Certificate c = chain.get(k);
      if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        n++;
      }
    }
    return n;
  }

  /** The anchor that is {@code top} itself (same key) or that signed it; null if none. */
  private static X509Certificate findAnchor(X509Certificate top, List<X509Certificate> anchors) {
    for (X509Certificate a : anchors) {
      if (sameKey(a, top)) {
        return a;
      }
    }
    for (X509Certificate a : anchors) {
      try {
        top.verify(a.getPublicKey(), BC);
        return a;
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this anchor; try the next
      }
    }
    return null;
  }

  /**
   * Checks that a root certificate trusted by its key alone carries a valid self-signature, so none
   * of its other bytes can change unnoticed.
   *
   * @throws EvidenceException {@code <prefix>.chain.signature-invalid}
   */
  public static void requireSelfSigned(X509Certificate root, int index, String prefix)
      throws EvidenceException {
    verify(root, root, index, prefix);
  }

  private static boolean sameEncoding(X509Certificate a, X509Certificate b) {
    try {
      return MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      return false;
    }
  }

  private static boolean sameKey(X509Certificate a, X509Certificate b) {
    return MessageDigest.isEqual(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded());
  }

  private static void verify(X509Certificate cert, X509Certificate issuer, int index, String prefix)
      throws EvidenceException {
    try {
      cert.verify(issuer.getPublicKey(), BC);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new EvidenceException(
          prefix + ".chain.signature-invalid",
          "certificate " + index + " (" + subject(cert) + ") is not signed by its issuer");
    }
  }

  /** The anchor's own validity is not checked: it is pinned by key (RFC 5914 practice). */
  private static Instant[] validityWindow(List<X509Certificate> chain) {
    Instant from = Instant.MIN;
    Instant to = Instant.MAX;
    for (X509Certificate c : chain) {
      Instant nb = c.getNotBefore().toInstant();
      Instant na = c.getNotAfter().toInstant();
      from = nb.isAfter(from) ? nb : from;
      to = na.isBefore(to) ? na : to;
    }
    return new Instant[] {from, to};
  }

  private static String fingerprint(List<X509Certificate> chain, List<X509Certificate> anchors) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (X509Certificate c : chain) {
        md.update(c.getEncoded());
      }
      md.update((byte) 0);
      for (X509Certificate a : anchors) {
        md.update(a.getEncoded());
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("SHA-256 or certificate encoding unavailable", e);
    }
  }

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }
}
