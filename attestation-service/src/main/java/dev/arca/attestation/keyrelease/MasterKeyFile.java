// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import dev.arca.attestation.storage.PrivateDirectories;
import dev.arca.crypto.kek.KekException;
import dev.arca.crypto.kek.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Where the service's master key comes from: the environment variable {@value #ENV} (base64) when
 * set, as in production; otherwise a key file in the data directory, created with mode 0600 on
 * first start so that one command runs the service on embedded defaults. The master key only
 * decrypts the local KEK keyset (crypto's {@code LocalKeysetKekClient}); it never reaches the
 * database or a log.
 */
public final class MasterKeyFile {
  /** Environment variable holding the base64 master key. */
  public static final String ENV = "ARCA_MASTER_KEY";

  private static final Logger LOG = Logger.getLogger(MasterKeyFile.class);

  private MasterKeyFile() {}

  /**
   * The master key from {@value #ENV}, else from {@code file} (created when absent).
   *
   * @throws KekException {@code kek.bad-master-key} for a value that is not a 32-byte key
   */
  public static MasterKey load(Path file) throws KekException {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return MasterKey.fromEnv(ENV);
    }
    createIfAbsent(file);
    return MasterKey.fromFile(file);
  }

  private static void createIfAbsent(Path file) {
    if (Files.exists(file)) {
      return;
    }
    byte[] fresh = new byte[32];
    byte[] text = null;
    try {
      PrivateDirectories.create(file.getParent());
      new SecureRandom().nextBytes(fresh);
      text = Base64.getEncoder().encode(fresh);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
      LOG.infof(
          "Created a master key in %s (mode 0600). In production set %s or use a KMS.", file, ENV);
    } catch (FileAlreadyExistsException raced) {
      // Another replica on the same data directory created it first; use theirs.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the master key file " + file, e);
    } finally {
      Arrays.fill(fresh, (byte) 0);
      if (text != null) {
        Arrays.fill(text, (byte) 0);
      }
    }
  }
}
