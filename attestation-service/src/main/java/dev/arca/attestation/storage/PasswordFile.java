// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A generated database password in an owner-only file (mode 0600): one line, the password.
 *
 * <p>Passwords are 256 random bits in base64url, so they hold only letters, digits, {@code -} and
 * {@code _} and can be written into a SQL string literal as they are ({@code ALTER ROLE ...
 * PASSWORD} takes no bind parameters). {@link #read} refuses anything else.
 */
public final class PasswordFile {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern GENERATED = Pattern.compile("[A-Za-z0-9_-]{43}");

  private PasswordFile() {}

  /** A fresh password: 32 random bytes, base64url without padding (43 characters). */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The password in {@code file}, or empty when the file does not exist.
   *
   * @throws IOException if it cannot be read or holds anything but a generated password
   */
  public static Optional<String> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (!GENERATED.matcher(password).matches()) {
      // Never echo the content: it may be a real password typed by hand.
      throw new IOException(file + " does not hold a password Arca generated; delete it to reset");
    }
    return Optional.of(password);
  }

  /**
   * Writes {@code password} to {@code file} with mode 0600, atomically: a crash leaves the old file
   * or the new one, never a partial one. The folder must exist.
   */
  static void write(Path file, String password) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            ".password-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, password + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The password in {@code file}; a generated one, written there first, when there is none. */
  static String readOrCreate(Path file) throws IOException {
    Optional<String> existing = read(file);
    if (existing.isPresent()) {
      return existing.get();
    }
    String fresh = generate();
    write(file, fresh);
    return fresh;
  }
}
