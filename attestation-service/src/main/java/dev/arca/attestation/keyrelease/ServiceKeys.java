// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import dev.arca.attestation.storage.Database;
import dev.arca.crypto.kek.KekClient;
import dev.arca.crypto.kek.KekException;
import dev.arca.crypto.kek.KeyEncryptionKey;
import dev.arca.crypto.kek.LocalKeysetKekClient;
import dev.arca.crypto.kek.Pkcs11KekClient;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Produces the KEK and the clock, and gives out service-wide secrets shared by every replica
 * (created once in PostgreSQL, wrapped under the KEK).
 */
@ApplicationScoped
public class ServiceKeys {

  @Inject Database db;

  @Inject KeyEncryptionKey kek;

  /**
   * The KEK named {@code arca.kek.uri}, created on first start if absent:
   *
   * <ul>
   *   <li>{@code arca-local-kek://<name>} (the default, {@code arca-local-kek://service}): a Tink
   *       keyset in {@code <data-dir>/keys}, encrypted under the master key ({@link
   *       MasterKeyFile});
   *   <li>{@code pkcs11:object=<label>}: an AES-256 key in a PKCS#11 token (an HSM), sensitive and
   *       non-extractable, used through {@code arca.kek.pkcs11.library}, {@code
   *       arca.kek.pkcs11.slot-list-index} (default 0) and {@code arca.kek.pkcs11.pin-file} (the
   *       user PIN, in a file so it is in no command line or environment).
   * </ul>
   */
  @Produces
  @Singleton
  @DefaultBean
  static KeyEncryptionKey kek(
      @ConfigProperty(name = "arca.resolved-data-dir") String dataDir,
      @ConfigProperty(name = "arca.kek.uri", defaultValue = "arca-local-kek://service") String uri,
      @ConfigProperty(name = "arca.kek.pkcs11.library") Optional<String> library,
      @ConfigProperty(name = "arca.kek.pkcs11.slot-list-index", defaultValue = "0") int slot,
      @ConfigProperty(name = "arca.kek.pkcs11.pin-file") Optional<String> pinFile) {
    try {
      if (uri.startsWith("pkcs11:")) {
        if (library.isEmpty() || pinFile.isEmpty()) {
          throw new IllegalStateException(
              "arca.kek.uri "
                  + uri
                  + " needs arca.kek.pkcs11.library and arca.kek.pkcs11.pin-file");
        }
        Pkcs11KekClient token =
            Pkcs11KekClient.open(Path.of(library.get()), slot, Path.of(pinFile.get()));
        return openOrCreate(token, uri, token::create, Pkcs11KekClient.URI_PREFIX);
      }
      Path keys = Path.of(dataDir, "keys");
      LocalKeysetKekClient local =
          LocalKeysetKekClient.of(keys, MasterKeyFile.load(keys.resolve("master.key")));
      return openOrCreate(local, uri, local::create, LocalKeysetKekClient.URI_PREFIX);
    } catch (KekException e) {
      throw new IllegalStateException(
          "cannot open the service KEK " + uri + " (" + e.id() + "): " + e.getMessage(), e);
    }
  }

  /** Creates a KEK named by what follows a client's URI prefix. */
  private interface KekCreator {
    KeyEncryptionKey create(String name) throws KekException;
  }

  private static KeyEncryptionKey openOrCreate(
      KekClient client, String uri, KekCreator creator, String prefix) throws KekException {
    if (!client.doesSupport(uri)) {
      throw new IllegalStateException(
          "arca.kek.uri must be " + prefix + "<name> or pkcs11:object=<label>, not " + uri);
    }
    try {
      return client.getKek(uri);
    } catch (KekException e) {
      if (!KekException.UNKNOWN_URI.equals(e.id())) {
        throw e;
      }
      try {
        return creator.create(uri.substring(prefix.length()));
      } catch (KekException raced) {
        // Another replica created it between our look and our create: use theirs.
        if (!KekException.EXISTS.equals(raced.id())) {
          throw raced;
        }
        return client.getKek(uri);
      }
    }
  }

  /** The time source; every check takes the instant as a parameter read from it once. */
  @Produces
  @Singleton
  @DefaultBean
  static Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The 32-byte secret named {@code name}, created on first use. Callers wipe the returned array
   * when done (or keep it inside an immutable key object).
   */
  public byte[] sharedSecret(String name, Clock clock) {
    return db.inTransaction(tx -> sharedSecret(tx, name, clock));
  }

  /** {@link #sharedSecret(String, Clock)} inside the caller's transaction. */
  public byte[] sharedSecret(Connection tx, String name, Clock clock) throws SQLException {
    byte[] aad = ("arca service secret: " + name).getBytes(StandardCharsets.UTF_8);
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    try (PreparedStatement ins =
        tx.prepareStatement(
            "INSERT INTO service_secret (name, wrapped, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING")) {
      ins.setString(1, name);
      ins.setBytes(2, kek.encrypt(fresh, aad));
      ins.setTimestamp(3, Timestamp.from(clock.instant()));
      ins.executeUpdate();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("KEK cannot wrap", e);
    } finally {
      Arrays.fill(fresh, (byte) 0);
    }
    byte[] wrapped;
    try (PreparedStatement sel =
        tx.prepareStatement("SELECT wrapped FROM service_secret WHERE name = ?")) {
      sel.setString(1, name);
      try (ResultSet rs = sel.executeQuery()) {
        rs.next();
        wrapped = rs.getBytes(1);
      }
    }
    try {
      return kek.decrypt(wrapped, aad);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the stored secret '" + name + "' does not open under this KEK (wrong master key?)", e);
    }
  }
}
