// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A runtime's usage-report key: Ed25519, derived from the runtime's per-boot secret (its HPKE
 * private key) with HKDF-SHA256, so it lives exactly as long as that key, including across a reboot
 * on a sealed lease, without being stored on its own. Its public half is bound into the evidence's
 * report data ({@link dev.arca.evidence.ReportData}), which is what makes it an attested key.
 *
 * <p>Signatures are over {@value #CONTEXT} followed by a NUL and the report's bytes, so no other
 * message signed with it can pass for a usage report. Thread-safe until {@link #destroy()}.
 */
public final class UsageKey implements Destroyable {
  /** The domain-separation label in front of every signed report. */
  public static final String CONTEXT = "arca usage report v1";

  /** Length of the public key and of the derivation input. */
  public static final int KEY_LENGTH = 32;

  private static final byte[] INFO = "arca/usage-report-key/v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] seed;
  private final byte[] publicKey;
  private volatile boolean destroyed;

  private UsageKey(byte[] seed) {
    this.seed = seed;
    this.publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
  }

  /**
   * Derives the key from {@code secret} (read, not kept): the same secret gives the same key.
   *
   * @throws IllegalArgumentException when the secret is shorter than 32 bytes
   */
  public static UsageKey derivedFrom(byte[] secret) {
    if (secret.length < KEY_LENGTH) {
      throw new IllegalArgumentException("a usage key is derived from at least 32 secret bytes");
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(secret, null, INFO));
    byte[] seed = new byte[KEY_LENGTH];
    hkdf.generateBytes(seed, 0, seed.length);
    return new UsageKey(seed);
  }

  /** The raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Signs a report's bytes. */
  public byte[] sign(byte[] report) {
    if (destroyed) {
      throw new IllegalStateException("this usage key was destroyed");
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
    byte[] signed = signedBytes(report);
    signer.update(signed, 0, signed.length);
    return signer.generateSignature();
  }

  /**
   * Whether {@code signature} is {@code publicKey}'s over {@code report}. False for a key or
   * signature of the wrong length, never an exception.
   */
  public static boolean verify(byte[] publicKey, byte[] report, byte[] signature) {
    if (publicKey == null
        || publicKey.length != KEY_LENGTH
        || signature == null
        || signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    try {
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    } catch (IllegalArgumentException e) {
      return false; // not a point on the curve
    }
    byte[] signed = signedBytes(report);
    verifier.update(signed, 0, signed.length);
    return verifier.verifySignature(signature);
  }

  private static byte[] signedBytes(byte[] report) {
    byte[] label = CONTEXT.getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(label, label.length + 1 + report.length);
    System.arraycopy(report, 0, out, label.length + 1, report.length);
    return out;
  }

  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(seed, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }
}
