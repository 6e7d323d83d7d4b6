// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Google's hardware attestation roots, pinned by public key (SubjectPublicKeyInfo DER) as resources
 * beside this class and loaded once:
 *
 * <ul>
 *   <li>{@code google_hardware_attestation_root_rsa4096.pub.pem}: the RSA-4096 key of the "Google
 *       Hardware Attestation Root" (subject serialNumber f92009e853b6b045). Google has re-issued
 *       its certificate several times (2016, 2019, 2021, 2022) with the same key, so pinning the
 *       key anchors all of them.
 *   <li>{@code google_key_attestation_ca1_p384.pub.pem}: the ECDSA P-384 key of "Key Attestation
 *       CA1" (Google LLC), which signs chains from February 2026 (remotely provisioned devices).
 *       Taken from the certificate published on developer.android.com (key attestation, "Root
 *       certificates"); that certificate's self-signature verifies with this key.
 * </ul>
 *
 * Source:
 * https://developer.android.com/privacy-and-security/security-key-attestation#root_certificate
 */
public final class GoogleAttestationRoots {
  /** The pinned roots, in a fixed order. */
  public enum Root {
    RSA_4096(
        "google-hardware-attestation-root-rsa4096", "google_hardware_attestation_root_rsa4096"),
    EC_P384("google-key-attestation-ca1-p384", "google_key_attestation_ca1_p384");

    private final String claimName;

    // Never handed out or written after construction.
    @SuppressWarnings("ImmutableEnumChecker")
    private final byte[] spki;

    // JDK public keys are immutable values, just not annotated as such.
    @SuppressWarnings("ImmutableEnumChecker")
    private final PublicKey publicKey;

    Root(String claimName, String resource) {
      this.claimName = claimName;
      this.spki = load(resource + ".pub.pem");
      this.publicKey = decode(spki, claimName);
    }

    /** The pinned key, for checking a certificate it signed. */
    public PublicKey publicKey() {
      return publicKey;
    }

    /** Name shown in raw claims. */
    public String claimName() {
      return claimName;
    }

    /** The pinned SubjectPublicKeyInfo DER (a copy). */
    public byte[] subjectPublicKeyInfo() {
      return spki.clone();
    }
  }

  private GoogleAttestationRoots() {}

  /** Every pinned root. */
  public static List<Root> all() {
    return List.of(Root.values());
  }

  /** The pinned root with exactly this public key, if any (constant-time comparison). */
  public static Optional<Root> byKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    Root found = null;
    for (Root r : Root.values()) {
      if (MessageDigest.isEqual(r.spki, encoded)) {
        found = r;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The pinned root that has {@code cert}'s key, if any. */
  public static Optional<Root> of(X509Certificate cert) {
    return byKey(cert.getPublicKey());
  }

  private static PublicKey decode(byte[] spki, String name) {
    for (String alg : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalStateException("pinned root " + name + " is neither an RSA nor an EC key");
  }

  private static byte[] load(String name) {
    try (InputStream in = GoogleAttestationRoots.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("pinned root resource missing: " + name);
      }
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      String b64 =
          pem.replace("-----BEGIN PUBLIC KEY-----", "")
              .replace("-----END PUBLIC KEY-----", "")
              .replaceAll("\\s", "");
      return Base64.getDecoder().decode(b64);
    } catch (IOException e) {
      throw new IllegalStateException("pinned root resource unreadable: " + name, e);
    }
  }
}
