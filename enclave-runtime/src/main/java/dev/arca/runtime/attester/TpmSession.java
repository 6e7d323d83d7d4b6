// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import dev.arca.tpm.Tpm2Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A connection to the device's TPM for the runtime and the enrolment command: {@link Tpm2Tools} on
 * the TCTI a {@code --tpm} value names, working in a private directory (on {@code /dev/shm} where
 * there is one: a credential secret passes through it for a moment during enrolment) that {@link
 * #close()} deletes, or a shutdown hook if the JVM exits first (SIGTERM).
 */
public final class TpmSession implements AutoCloseable {
  private final Tpm2Tools tools;
  private final Path workDir;
  private final Thread cleanup;

  private TpmSession(Tpm2Tools tools, Path workDir) {
    this.tools = tools;
    this.workDir = workDir;
    // A runtime stopped by SIGTERM exits through shutdown hooks, not through close().
    this.cleanup = new Thread(this::deleteWorkDir, "arca-tpm-session-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /**
   * Opens a session.
   *
   * @param tpm {@code /dev/tpmrm0} (any device path) or {@code swtpm:<host>:<port>}
   * @throws IllegalArgumentException for any other form
   * @throws IOException when the work directory cannot be created
   */
  public static TpmSession open(String tpm) throws IOException {
    String tcti = tcti(tpm);
    var perms = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    Path shm = Path.of("/dev/shm");
    Path work =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "arca-tpm-", perms)
            : Files.createTempDirectory("arca-tpm-", perms);
    return new TpmSession(new Tpm2Tools(tcti, work, Duration.ofSeconds(30)), work);
  }

  /**
   * The tpm2-tools TCTI for a {@code --tpm} value.
   *
   * @throws IllegalArgumentException for anything but a device path or {@code swtpm:host:port}
   */
  public static String tcti(String tpm) {
    if (tpm.startsWith("/dev/")) {
      return "device:" + tpm;
    }
    if (tpm.startsWith("swtpm:")) {
      String rest = tpm.substring("swtpm:".length());
      int colon = rest.lastIndexOf(':');
      if (colon > 0 && rest.substring(colon + 1).matches("\\d{1,5}")) {
        return "swtpm:host=" + rest.substring(0, colon) + ",port=" + rest.substring(colon + 1);
      }
    }
    throw new IllegalArgumentException(
        "--tpm must be a device path such as /dev/tpmrm0 or swtpm:<host>:<port>, got " + tpm);
  }

  /** The TPM commands, bound to this session's work directory. */
  public Tpm2Tools tools() {
    return tools;
  }

  /** The private work directory (for tests). */
  Path workDir() {
    return workDir;
  }

  /** Deletes the work directory. Idempotent. */
  @Override
  public void close() {
    deleteWorkDir();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook does the same work
    }
  }

  private synchronized void deleteWorkDir() {
    if (!Files.exists(workDir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(workDir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: tpm2-tools work files; the secret's file is deleted as soon as it is read
    }
  }

  @Override
  public String toString() {
    return "TpmSession[" + tools.tcti() + "]";
  }
}
