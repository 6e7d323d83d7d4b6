// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** The TPM key derivation functions KDFa and KDFe (TPM 2.0 Part 1 §11.4.10.2, §11.4.10.3). */
final class Kdf {
  private Kdf() {}

  /**
   * KDFa: counter-mode HMAC (SP 800-108): HMAC(key, [i]32 || label || 0 || contextU || contextV ||
   * [bits]32) for i = 1.., truncated to {@code bits} (a multiple of 8).
   */
  static byte[] kdfa(
      int hashAlg, byte[] key, String label, byte[] contextU, byte[] contextV, int bits) {
    HMac hmac = new HMac(TpmAlg.digest(hashAlg));
    hmac.init(new KeyParameter(key));
    byte[] labelBytes = nulTerminated(label);
    int bytes = bits / 8;
    byte[] out = new byte[bytes];
    byte[] block = new byte[hmac.getMacSize()];
    int done = 0;
    for (int i = 1; done < bytes; i++) {
      update(hmac, u32(i));
      update(hmac, labelBytes);
      update(hmac, contextU);
      update(hmac, contextV);
      update(hmac, u32(bits));
      hmac.doFinal(block, 0);
      int n = Math.min(block.length, bytes - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    Arrays.fill(block, (byte) 0);
    return out;
  }

  /**
   * KDFe: the SP 800-56A concatenation KDF: H([i]32 || Z || label || 0 || partyU || partyV) for i =
   * 1.., truncated to {@code bits}.
   */
  static byte[] kdfe(int hashAlg, byte[] z, String label, byte[] partyU, byte[] partyV, int bits) {
    Digest d = TpmAlg.digest(hashAlg);
    byte[] labelBytes = nulTerminated(label);
    int bytes = bits / 8;
    byte[] out = new byte[bytes];
    byte[] block = new byte[d.getDigestSize()];
    int done = 0;
    for (int i = 1; done < bytes; i++) {
      for (byte[] part : new byte[][] {u32(i), z, labelBytes, partyU, partyV}) {
        d.update(part, 0, part.length);
      }
      d.doFinal(block, 0);
      int n = Math.min(block.length, bytes - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    Arrays.fill(block, (byte) 0);
    return out;
  }

  /** The label's bytes with one terminating zero (the spec adds it when absent). */
  static byte[] nulTerminated(String label) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    b.write(l, 0, l.length);
    if (l.length == 0 || l[l.length - 1] != 0) {
      b.write(0);
    }
    return b.toByteArray();
  }

  private static void update(HMac h, byte[] b) {
    h.update(b, 0, b.length);
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
