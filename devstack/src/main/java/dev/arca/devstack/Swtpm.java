// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import dev.arca.tpm.Tpm2Tools;
import dev.arca.tpm.TpmEnroller;
import dev.arca.tpm.TpmToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A software TPM 2.0 (swtpm) for tests and the demo, manufactured like a real one: {@code
 * swtpm_setup --tpm2 --create-ek-cert --create-platform-cert} with a private {@code swtpm-localca}
 * certificate authority, SHA-1 and SHA-256 PCR banks, then {@code swtpm socket} on two free
 * loopback ports (TPM commands on P, control on P+1) with {@code --flags startup-clear}.
 *
 * <p>Everything lives in one temporary directory (TPM state, the CA's keys and certificates,
 * tpm2-tools work files); {@link #close()} stops the process and deletes the directory, and a
 * shutdown hook does the same if the JVM exits first, so no process or file is left behind.
 *
 * <p>The EK certificates chain: EK certificate (NV {@link Tpm2Tools#EK_CERT_RSA_2048} and {@link
 * Tpm2Tools#EK_CERT_ECC_P384}) issued by {@link #issuerCertificate()}, issued by the self-signed
 * {@link #localCaCertificate()} — the "manufacturer CA" a verifier is configured with.
 *
 * <p>Test and demo equipment, not part of the device runtime: it lives here, beside the other real
 * parts the demo and the tests start, so the {@code tpm} module ships only what a device runs.
 */
public final class Swtpm implements AutoCloseable {
  /** Commands needed to start a software TPM. */
  public static final List<String> TOOLS = List.of("swtpm", "swtpm_setup", "swtpm_localca");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
  private final Path dir;
  private final Process process;
  private final int port;
  private final Thread shutdownHook;
  private final Tpm2Tools tools;

  private Swtpm(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.shutdownHook = new Thread(this::stopAndDelete, "swtpm-cleanup-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.tools = new Tpm2Tools(tcti(), dir.resolve("work"), Duration.ofSeconds(30));
  }

  /**
   * The swtpm and tpm2-tools commands that are not on the PATH (empty when a software TPM can be
   * started and driven). Tests skip with this list as their message.
   */
  public static List<String> missingTools() {
    List<String> all = new ArrayList<>(TOOLS);
    all.addAll(Tpm2Tools.TOOLS);
    return Executables.missing(all);
  }

  /** Set to {@code true} where a test must fail, not skip, without the tools (.ci/run sets it). */
  public static final String REQUIRED_ENV = "ARCA_REQUIRE_SWTPM";

  /**
   * {@link #missingTools()} for a test to skip on, except where the tools are required ({@value
   * #REQUIRED_ENV}{@code =true}, as CI runs): there a missing tool is an error, so no TPM test
   * passes by skipping or by taking a path without the TPM.
   *
   * @throws IllegalStateException if a tool is missing where they are required
   */
  public static List<String> missingToolsForTests() {
    List<String> missing = missingTools();
    if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv(REQUIRED_ENV))) {
      throw new IllegalStateException(
          REQUIRED_ENV
              + "=true but "
              + String.join(", ", missing)
              + " not found: install the Debian packages swtpm, swtpm-tools and tpm2-tools");
    }
    return missing;
  }

  /**
   * Manufactures and starts a fresh software TPM.
   *
   * @throws TpmToolException when a tool is missing, swtpm_setup fails, or swtpm does not start
   */
  public static Swtpm start() throws TpmToolException {
    List<String> missing = Executables.missing(TOOLS);
    if (!missing.isEmpty()) {
      throw new TpmToolException(
          "cannot start a software TPM: "
              + String.join(", ", missing)
              + " not found (Debian packages swtpm, swtpm-tools)");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("arca-swtpm-");
    } catch (IOException e) {
      throw new TpmToolException("cannot create a software TPM's directory: " + e.getMessage(), e);
    }
    try {
      Files.createDirectories(dir.resolve("state"));
      Files.createDirectories(dir.resolve("ca"));
      Files.createDirectories(dir.resolve("work"));
      manufacture(dir);
    } catch (IOException e) {
      deleteTree(dir);
      throw new TpmToolException("cannot manufacture a software TPM: " + e.getMessage(), e);
    }
    TpmToolException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePortPair();
      try {
        Process p = launch(dir, port);
        return new Swtpm(dir, p, port);
      } catch (TpmToolException e) {
        last = e; // most likely the port pair was taken meanwhile: try another
      }
    }
    deleteTree(dir);
    throw last;
  }

  /** The TCTI for tpm2-tools: {@code swtpm:host=127.0.0.1,port=P}. */
  public String tcti() {
    return "swtpm:host=127.0.0.1,port=" + port;
  }

  /** The TPM command port; the control port is the next one. */
  public int port() {
    return port;
  }

  /** The self-signed root certificate of this TPM's swtpm-localca (PEM): the manufacturer CA. */
  public Path localCaCertificate() {
    return dir.resolve("ca").resolve("swtpm-localca-rootca-cert.pem");
  }

  /** The intermediate certificate (PEM) that issued the EK and platform certificates. */
  public Path issuerCertificate() {
    return dir.resolve("ca").resolve("issuercert.pem");
  }

  /**
   * The EK certificate's intermediates, DER, leaf-most first (here the one issuer certificate):
   * what {@link TpmEnroller} sends beside the EK certificate.
   *
   * @throws TpmToolException when the issuer certificate cannot be read
   */
  public List<byte[]> ekIntermediates() throws TpmToolException {
    return TpmEnroller.certificates(issuerCertificate());
  }

  /** A {@link Tpm2Tools} bound to this TPM, working in this TPM's temporary directory. */
  public Tpm2Tools tools() {
    return tools;
  }

  /** True while the swtpm process runs. */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops swtpm and deletes its directory. Idempotent. */
  @Override
  public void close() {
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook does the same work
    }
  }

  @Override
  public String toString() {
    return "Swtpm[" + tcti() + ", running=" + process.isAlive() + "]";
  }

  private synchronized void stopAndDelete() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(dir);
  }

  private static void manufacture(Path dir) throws IOException {
    Path ca = dir.resolve("ca");
    Path localcaConf = dir.resolve("swtpm-localca.conf");
    Files.writeString(
        localcaConf,
        "statedir = "
            + ca
            + "\nsigningkey = "
            + ca.resolve("signkey.pem")
            + "\nissuercert = "
            + ca.resolve("issuercert.pem")
            + "\ncertserial = "
            + ca.resolve("certserial")
            + "\n",
        StandardCharsets.UTF_8);
    Path localcaOptions = dir.resolve("swtpm-localca.options");
    Files.writeString(
        localcaOptions,
        "--platform-manufacturer Arca\n--platform-version 2.1\n--platform-model swtpm\n",
        StandardCharsets.UTF_8);
    Path setupConf = dir.resolve("swtpm_setup.conf");
    Files.writeString(
        setupConf,
        "create_certs_tool = "
            + Executables.onPath("swtpm_localca").map(Path::toString).orElse("swtpm_localca")
            + "\ncreate_certs_tool_config = "
            + localcaConf
            + "\ncreate_certs_tool_options = "
            + localcaOptions
            + "\nactive_pcr_banks = sha1,sha256\n",
        StandardCharsets.UTF_8);
    runSetup(
        dir,
        List.of(
            "swtpm_setup",
            "--tpm2",
            "--tpmstate",
            dir.resolve("state").toString(),
            "--config",
            setupConf.toString(),
            "--create-ek-cert",
            "--create-platform-cert",
            "--pcr-banks",
            "sha1,sha256",
            "--overwrite"));
  }

  /**
   * Runs swtpm_setup with its configuration confined to {@code dir} (it reads {@code
   * $XDG_CONFIG_HOME}), output in {@code swtpm_setup.log}.
   */
  private static void runSetup(Path dir, List<String> command) throws IOException {
    Path log = dir.resolve("swtpm_setup.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("XDG_CONFIG_HOME", dir.toString());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    try {
      if (!p.waitFor(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new TpmToolException(
            "swtpm_setup timed out after " + SETUP_TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TpmToolException("swtpm_setup was interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new TpmToolException(
          "swtpm_setup failed with exit code " + p.exitValue() + ": " + tail(log));
    }
  }

  private static Process launch(Path dir, int port) throws TpmToolException {
    ProcessBuilder pb =
        new ProcessBuilder(
                "swtpm",
                "socket",
                "--tpm2",
                "--tpmstate",
                "dir=" + dir.resolve("state"),
                "--server",
                "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                "--ctrl",
                "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1",
                "--flags",
                "startup-clear")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("swtpm.log").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new TpmToolException("swtpm could not be started: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new TpmToolException(
            "swtpm exited with code "
                + p.exitValue()
                + " on port "
                + port
                + ": "
                + tail(dir.resolve("swtpm.log")));
      }
      // The control port is probed, not the command port, so no half TPM command is sent.
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1), 200);
        return p;
      } catch (IOException e) {
        sleep(50);
      }
    }
    p.destroyForcibly();
    throw new TpmToolException("swtpm did not listen on port " + port + " within " + START_TIMEOUT);
  }

  /** A port P such that P and P+1 were both free a moment ago. */
  private static int freePortPair() throws TpmToolException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int p = a.getLocalPort();
        if (p >= 65535) {
          continue;
        }
        try (ServerSocket b = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
          return b.getLocalPort() - 1;
        } catch (IOException taken) {
          // P+1 is in use; draw another P
        }
      } catch (IOException e) {
        throw new TpmToolException("cannot find a free loopback port: " + e.getMessage(), e);
      }
    }
    throw new TpmToolException("no pair of free loopback ports found");
  }

  /** The last lines of a tool's log, joined, for an error message. */
  private static String tail(Path log) {
    try {
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .toList();
      List<String> kept = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return kept.isEmpty() ? "(no output)" : String.join(" | ", kept);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.deleteIfExists(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // best effort: the directory is under the temp dir and holds only test material
    }
  }
}
