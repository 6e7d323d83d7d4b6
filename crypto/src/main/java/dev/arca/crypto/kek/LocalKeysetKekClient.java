// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The default KEK service: Tink AES-256-GCM keysets in local files, each encrypted under a {@link
 * MasterKey} (Tink's encrypted-keyset JSON, associated data binding the file to its name), so no
 * KEK is ever stored in plaintext. URIs: {@code arca-local-kek://<name>} naming the file {@code
 * <dir>/<name>.kek.json}.
 *
 * <p>Rotation ({@link #rotate}) adds a new primary key: new wraps use it, old wraps still decrypt.
 * Thread-safe for reads; create and rotate are meant for an operator command.
 */
public final class LocalKeysetKekClient implements KekClient {
  /** URI prefix handled by this client. */
  public static final String URI_PREFIX = "arca-local-kek://";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Path dir;
  private final MasterKey master;

  private LocalKeysetKekClient(Path dir, MasterKey master) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.master = Objects.requireNonNull(master, "master");
  }

  /** A client for keyset files in {@code dir}, decrypted with {@code master}. */
  public static LocalKeysetKekClient of(Path dir, MasterKey master) {
    return new LocalKeysetKekClient(dir, master);
  }

  @Override
  public boolean doesSupport(String keyUri) {
    return keyUri != null
        && keyUri.startsWith(URI_PREFIX)
        && NAME.matcher(keyUri.substring(URI_PREFIX.length())).matches();
  }

  /**
   * Creates a new KEK named {@code name} and returns it. Creation is atomic across processes
   * sharing the directory: of two replicas creating the same KEK at once, one wins and the other
   * gets {@value KekException#EXISTS}, so none keeps a key the file no longer holds.
   *
   * @throws KekException {@value KekException#EXISTS} if the KEK exists, {@code kek.io} if the file
   *     cannot be written
   */
  public KeyEncryptionKey create(String name) throws KekException {
    KeysetHandle fresh;
    try {
      fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new KekException(KekException.BAD_KEYSET, "could not generate a KEK keyset", e);
    }
    write(name, fresh, false);
    return getKek(uri(name));
  }

  /**
   * Adds a fresh primary key to KEK {@code name}; earlier keys stay for decryption.
   *
   * @throws KekException if the keyset cannot be read or written
   */
  public KeyEncryptionKey rotate(String name) throws KekException {
    KeysetHandle current = load(name);
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(current);
      b.addEntry(
          KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
              .withRandomId()
              .setStatus(KeyStatus.ENABLED)
              .makePrimary());
      write(name, b.build(), true);
    } catch (GeneralSecurityException e) {
      throw new KekException(KekException.BAD_KEYSET, "could not rotate KEK " + uri(name), e);
    }
    return getKek(uri(name));
  }

  @Override
  public KeyEncryptionKey getKek(String keyUri) throws KekException {
    if (!doesSupport(keyUri)) {
      throw new KekException(
          KekException.UNKNOWN_URI,
          "key URI is not of the form " + URI_PREFIX + "<name> (name: a-z 0-9 . _ -)");
    }
    String name = keyUri.substring(URI_PREFIX.length());
    KeysetHandle handle = load(name);
    Aead aead;
    try {
      aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new KekException(
          KekException.BAD_KEYSET, "KEK " + keyUri + " is not an AEAD keyset", e);
    }
    return new TinkKek(keyUri, aead);
  }

  private KeysetHandle load(String name) throws KekException {
    Path file = file(name);
    if (!Files.isRegularFile(file)) {
      throw new KekException(KekException.UNKNOWN_URI, "no KEK named " + uri(name) + " in " + dir);
    }
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KekException(KekException.IO, "cannot read KEK file for " + uri(name));
    }
    try {
      return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, master.aead(), ad(name));
    } catch (KekException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new KekException(
          KekException.BAD_KEYSET,
          "KEK file for "
              + uri(name)
              + " does not decrypt under this master key (wrong master"
              + " key, or the file was altered or renamed)");
    }
  }

  /**
   * Writes the keyset through a temporary file: a rotation replaces the file atomically, a creation
   * links it into place, which fails if the name exists (no check-then-write race).
   */
  private void write(String name, KeysetHandle handle, boolean replace) throws KekException {
    try {
      String json =
          TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, master.aead(), ad(name));
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      try {
        restrict(tmp);
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        if (!replace) {
          Files.createLink(file(name), tmp);
        } else {
          try {
            Files.move(
                tmp,
                file(name),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(name), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new KekException(
          KekException.EXISTS, "KEK " + uri(name) + " already exists; use rotate");
    } catch (IOException e) {
      throw new KekException(KekException.IO, "cannot write KEK file for " + uri(name));
    } catch (GeneralSecurityException e) {
      throw new KekException(KekException.BAD_KEYSET, "cannot encrypt KEK keyset", e);
    }
  }

  private static void restrict(Path p) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: the file is encrypted anyway.
    }
  }

  private Path file(String name) throws KekException {
    if (!NAME.matcher(name).matches()) {
      throw new KekException(KekException.UNKNOWN_URI, "KEK name must match a-z 0-9 . _ -");
    }
    return dir.resolve(name + ".kek.json");
  }

  private static String uri(String name) {
    return URI_PREFIX + name;
  }

  private static byte[] ad(String name) {
    return ("arca/local-kek/v1/" + name).getBytes(StandardCharsets.UTF_8);
  }

  /** A KEK backed by a Tink AEAD primitive. */
  private static final class TinkKek implements KeyEncryptionKey {
    private final String uri;
    private final Aead aead;

    TinkKek(String uri, Aead aead) {
      this.uri = uri;
      this.aead = aead;
    }

    @Override
    public String keyUri() {
      return uri;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws KekException {
      try {
        return aead.encrypt(plaintext, associatedData);
      } catch (GeneralSecurityException e) {
        throw new KekException(KekException.BAD_KEYSET, "KEK " + uri + " failed to encrypt", e);
      }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws KekException {
      try {
        return aead.decrypt(ciphertext, associatedData);
      } catch (GeneralSecurityException e) {
        throw new KekException(
            KekException.DECRYPT_FAILED,
            "value does not decrypt under KEK " + uri + " with this associated data");
      }
    }

    @Override
    public String toString() {
      return "KeyEncryptionKey[" + uri + "]";
    }
  }
}
