package dev.arca.attestation.keyrelease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local KEK: AES-256-GCM under a 32-byte master key kept in {@code <data-dir>/keys/kek.bin} (mode
 * 0600, created on first start). Output: version byte 1, 12-byte random nonce, ciphertext and tag.
 * For production, point the service at a KMS/HSM-backed {@link KeyEncryptionKey}.
 */
public final class LocalKeyEncryptionKey implements KeyEncryptionKey {
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private LocalKeyEncryptionKey(byte[] keyBytes) {
    this.key = new SecretKeySpec(keyBytes, "AES");
    Arrays.fill(keyBytes, (byte) 0);
  }

  /** Loads the master key from {@code keyFile}, creating it (0600) when absent. */
  public static LocalKeyEncryptionKey loadOrCreate(Path keyFile) {
    try {
      if (!Files.exists(keyFile)) {
        Files.createDirectories(keyFile.getParent());
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.createFile(
              keyFile,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.write(keyFile, fresh, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another process created it first; use theirs
        } finally {
          Arrays.fill(fresh, (byte) 0);
        }
      }
      byte[] bytes = Files.readAllBytes(keyFile);
      if (bytes.length != 32) {
        Arrays.fill(bytes, (byte) 0);
        throw new IllegalStateException("the KEK file " + keyFile + " is not 32 bytes");
      }
      return new LocalKeyEncryptionKey(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the KEK file " + keyFile, e);
    }
  }

  @Override
  public byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(associatedData);
    byte[] ct = c.doFinal(plaintext);
    byte[] out = new byte[1 + NONCE_BYTES + ct.length];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
    System.arraycopy(ct, 0, out, 1 + NONCE_BYTES, ct.length);
    return out;
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    if (wrapped.length < 1 + NONCE_BYTES + TAG_BITS / 8 || wrapped[0] != VERSION) {
      throw new GeneralSecurityException("not a wrapped secret of this KEK");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 1, NONCE_BYTES));
    c.updateAAD(associatedData);
    return c.doFinal(wrapped, 1 + NONCE_BYTES, wrapped.length - 1 - NONCE_BYTES);
  }

  @Override
  public String toString() {
    return "LocalKeyEncryptionKey[key hidden]";
  }
}
