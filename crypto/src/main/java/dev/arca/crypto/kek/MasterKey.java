// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import dev.arca.crypto.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.Destroyable;

/**
 * The 32-byte AES-256-GCM master key that encrypts local KEK keyset files. It comes from a file or
 * an environment variable (base64, standard or URL alphabet; a file may also hold the 32 raw bytes)
 * and is never written by Arca. {@link #toString()} never prints it.
 */
public final class MasterKey implements Destroyable {
  private final byte[] key;
  private final String source;
  private volatile boolean destroyed;

  private MasterKey(byte[] key, String source) {
    this.key = key;
    this.source = source;
  }

  /**
   * Reads the master key from a file.
   *
   * @throws KekException {@code kek.bad-master-key} if absent or not 32 bytes
   */
  public static MasterKey fromFile(Path file) throws KekException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KekException(
          KekException.BAD_MASTER_KEY, "cannot read master key file " + file.getFileName());
    }
    try {
      if (content.length == 32 && !allPrintable(content)) {
        // 32 raw random bytes. 32 printable characters are refused below instead: that is a
        // passphrase or a truncated base64 text, not a key.
        return new MasterKey(content.clone(), "file " + file.getFileName());
      }
      return new MasterKey(
          decode(
              new String(content, StandardCharsets.US_ASCII).trim(), "file " + file.getFileName()),
          "file " + file.getFileName());
    } finally {
      Secrets.wipe(content);
    }
  }

  private static boolean allPrintable(byte[] b) {
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** Reads the master key from the process environment variable {@code name}. */
  public static MasterKey fromEnv(String name) throws KekException {
    return fromEnv(System.getenv(), name);
  }

  /**
   * Reads the master key from {@code env.get(name)} (base64).
   *
   * @throws KekException {@code kek.bad-master-key} if unset or not 32 bytes
   */
  public static MasterKey fromEnv(Map<String, String> env, String name) throws KekException {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new KekException(
          KekException.BAD_MASTER_KEY,
          "environment variable " + name + " is not set; set it to 32 random bytes in base64");
    }
    return new MasterKey(decode(v.trim(), "environment variable " + name), "env " + name);
  }

  private static byte[] decode(String b64, String where) throws KekException {
    byte[] k;
    try {
      k =
          b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(b64)
              : Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new KekException(
          KekException.BAD_MASTER_KEY, "master key in " + where + " is not base64");
    }
    if (k.length != 32) {
      Secrets.wipe(k);
      throw new KekException(
          KekException.BAD_MASTER_KEY,
          "master key in " + where + " must be 32 bytes, got " + k.length);
    }
    return k;
  }

  Aead aead() throws KekException {
    if (destroyed) {
      throw new KekException(KekException.BAD_MASTER_KEY, "master key was destroyed");
    }
    try {
      return new AesGcmJce(key);
    } catch (GeneralSecurityException e) {
      throw new KekException(KekException.BAD_MASTER_KEY, "master key rejected by AES-GCM", e);
    }
  }

  @Override
  public void destroy() {
    destroyed = true;
    Secrets.wipe(key);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "MasterKey[from " + source + ", redacted]";
  }
}
