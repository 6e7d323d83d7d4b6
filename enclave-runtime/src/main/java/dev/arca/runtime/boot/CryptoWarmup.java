// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile the JDK's AES-GCM and SHA-256 code while the runtime waits for the
 * service, so the model is decrypted by compiled code.
 *
 * <p>Why: a device boots with a cold JIT, and the JDK's GHASH and counter-mode loops only use their
 * CPU intrinsics once C2 has compiled their callers. A sealed model is decrypted in 1 MiB segments,
 * too few calls to trigger that: the first 100 MiB model decrypted in a fresh JVM ran at about 20
 * MiB/s instead of 300. Many small calls reach the compile thresholds quickly; this encrypts and
 * hashes about 20 MiB of zeros under an all-zero key in 1 KiB calls, on a background thread started
 * at the beginning of boot. It handles no secret.
 */
public final class CryptoWarmup {
  private static final int CALLS = 20_000;
  private static final int CHUNK = 1024;

  private final Thread thread;

  private CryptoWarmup(Thread thread) {
    this.thread = thread;
  }

  /** Starts warming up on a daemon thread. */
  // Only a hint: the warm-up is optional work that should yield to the boot path; nothing relies on
  // it.
  @SuppressWarnings("ThreadPriorityCheck")
  public static CryptoWarmup start() {
    Thread t = new Thread(CryptoWarmup::run, "arca-crypto-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return new CryptoWarmup(t);
  }

  /**
   * Waits for the warm-up to finish, at most {@code timeoutMillis}: decrypting while it still runs
   * would only share the CPU with it.
   */
  public void await(long timeoutMillis) throws InterruptedException {
    TimeUnit.MILLISECONDS.timedJoin(thread, timeoutMillis);
  }

  private static void run() {
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] in = new byte[CHUNK];
      byte[] out = new byte[CHUNK + 16];
      byte[] iv = new byte[12];
      for (int i = 0; i < CALLS; i++) {
        // GCM refuses to reuse a key and IV pair for encryption: count in the IV.
        iv[0] = (byte) i;
        iv[1] = (byte) (i >>> 8);
        iv[2] = (byte) (i >>> 16);
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        gcm.doFinal(in, 0, in.length, out, 0);
        sha256.update(in);
      }
    } catch (GeneralSecurityException e) {
      // Only a speed-up: without it decryption is slower, not different.
    }
  }
}
