// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One SQL statement run in PostgreSQL's single-user mode ({@code postgres --single}) on a stopped
 * data directory, as the bootstrap superuser {@code postgres}.
 *
 * <p>The way in when no login works yet: a cluster initialised with trust logins, or by an earlier
 * Arca, has a superuser without a password, and once {@code pg_hba.conf} asks for one, nobody can
 * log in to set it. Single-user mode needs no login, only the data directory (which only its OS
 * user can open). The statement goes through standard input, never the command line, and is kept
 * out of the server's error output.
 */
final class SingleUserPostgres {

  private SingleUserPostgres() {}

  /**
   * Runs {@code sql} (one statement, one line) on {@code pgData} with the {@code postgres} binary
   * extracted under {@code binaries}.
   *
   * @throws IOException if the binary is missing, the server is running, or the statement fails
   */
  static void run(Path binaries, Path pgData, String sql) throws IOException {
    List<String> command = new ArrayList<>();
    // PostgreSQL refuses to run as root; the library starts it in a user namespace then, and so
    // must we, or the data directory would not belong to the server's user.
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(
        List.of(
            postgresBinary(binaries).toString(),
            "--single",
            "-D",
            pgData.toString(),
            // An error ends the session with a non-zero exit instead of the next prompt.
            "-c",
            "exit_on_error=on",
            // The statement may carry a password: never repeat it in the error output.
            "-c",
            "log_min_error_statement=panic",
            // Passwords set here must be SCRAM verifiers: pg_hba.conf accepts nothing else.
            "-c",
            "password_encryption=scram-sha-256",
            "postgres"));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((sql + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String errors;
    try (InputStream err = p.getErrorStream()) {
      errors = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("PostgreSQL single-user mode did not finish on " + pgData);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted in PostgreSQL single-user mode", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "PostgreSQL single-user mode failed on "
              + pgData
              + " (exit "
              + p.exitValue()
              + "): "
              + errors);
    }
  }

  /** {@code <binaries>/<version folder>/bin/postgres}; the newest when there are several. */
  private static Path postgresBinary(Path binaries) throws IOException {
    try (Stream<Path> versions = Files.list(binaries)) {
      return versions
          .map(v -> v.resolve("bin/postgres"))
          .filter(Files::isExecutable)
          .max(Comparator.comparing(SingleUserPostgres::modified))
          .orElseThrow(() -> new IOException("no PostgreSQL binaries under " + binaries));
    }
  }

  private static long modified(Path p) {
    return p.toFile().lastModified();
  }
}
