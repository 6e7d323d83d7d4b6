package dev.arca.crypto.hpke;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF (RFC 5869) with HPKE's labels, RFC 9180 section 4. */
final class LabeledKdf {
  private static final byte[] VERSION = "HPKE-v1".getBytes(StandardCharsets.US_ASCII);

  private final HpkeKdf kdf;
  private final byte[] suiteId;

  private LabeledKdf(HpkeKdf kdf, byte[] suiteId) {
    this.kdf = kdf;
    this.suiteId = suiteId;
  }

  /** The KEM's own KDF context: suite_id = "KEM" || I2OSP(kem_id, 2). */
  static LabeledKdf forKem(HpkeKem kem) {
    return new LabeledKdf(
        HpkeKdf.HKDF_SHA256, concat("KEM".getBytes(StandardCharsets.US_ASCII), i2osp(kem.id(), 2)));
  }

  /** Unlabeled HKDF of {@code kdf} (only extract/expand are meaningful). */
  static LabeledKdf plain(HpkeKdf kdf) {
    return new LabeledKdf(kdf, new byte[0]);
  }

  /** The key schedule's context: suite_id = "HPKE" || kem_id || kdf_id || aead_id. */
  static LabeledKdf forSuite(HpkeSuite suite) {
    return new LabeledKdf(
        suite.kdf(),
        concat(
            "HPKE".getBytes(StandardCharsets.US_ASCII),
            i2osp(suite.kem().id(), 2),
            i2osp(suite.kdf().id(), 2),
            i2osp(suite.aead().id(), 2)));
  }

  int hashLength() {
    return kdf.hashLength();
  }

  byte[] extract(byte[] salt, byte[] ikm) {
    // An empty salt means Nh zero bytes (RFC 5869 section 2.2); JCE rejects empty HMAC keys.
    byte[] key = salt.length == 0 ? new byte[kdf.hashLength()] : salt;
    Mac mac = mac(key);
    return mac.doFinal(ikm);
  }

  byte[] expand(byte[] prk, byte[] info, int length) {
    if (length > 255 * kdf.hashLength()) {
      throw new IllegalArgumentException("HKDF-Expand length too large: " + length);
    }
    Mac mac = mac(prk);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int pos = 0;
    for (int i = 1; pos < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - pos);
      System.arraycopy(t, 0, out, pos, n);
      pos += n;
    }
    java.util.Arrays.fill(t, (byte) 0);
    return out;
  }

  byte[] labeledExtract(byte[] salt, String label, byte[] ikm) {
    return extract(salt, concat(VERSION, suiteId, ascii(label), ikm));
  }

  byte[] labeledExpand(byte[] prk, String label, byte[] info, int length) {
    return expand(prk, concat(i2osp(length, 2), VERSION, suiteId, ascii(label), info), length);
  }

  private Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(kdf.macAlgorithm());
      mac.init(new SecretKeySpec(key, kdf.macAlgorithm()));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // HmacSHA256 is mandatory in every JDK; reaching this is a broken runtime.
      throw new IllegalStateException("JDK lacks " + kdf.macAlgorithm(), e);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] i2osp(long value, int length) {
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }
}
