// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code nitro} attester: an AWS Nitro Enclaves attestation document whose {@code user_data} is
 * the report data, obtained through a helper program.
 *
 * <p>Why a helper: the Nitro Secure Module is {@code /dev/nsm}, driven by one {@code ioctl} that
 * exchanges CBOR messages. Java 17 has no way to issue an ioctl without native code (the Foreign
 * Function and Memory API arrives in Java 22), and the runtime adds no native code of its own, so
 * it runs a configured command instead: the command gets the report data as lowercase hex and a
 * newline on standard input, asks the NSM for an attestation document with that {@code user_data}
 * (e.g. a small program on the AWS {@code aws-nitro-enclaves-nsm-api} library), writes the raw
 * document (COSE_Sign1, CBOR) to standard output and exits 0. Anything else is a failure, reported
 * with the command's standard error.
 *
 * <p>Tested with a scripted helper only; not yet run in a real enclave.
 */
public final class NitroNsmAttester implements Attester {
  /** Real documents are about 5-10 KB; the verifier refuses more than 64 KiB. */
  static final int MAX_DOCUMENT_BYTES = 64 * 1024;

  private static final long TIMEOUT_SECONDS = 30;
  private static final int STDERR_SHOWN = 500;
  private final List<String> command;
  private final String deviceId;

  /**
   * An attester running {@code command} once per request.
   *
   * @param command the helper and its arguments (the first element is the program)
   * @param deviceId the id the enclave is enrolled under at the service
   */
  public NitroNsmAttester(List<String> command, String deviceId) {
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException("the nitro attester needs an NSM helper command");
    }
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("the nitro attester needs the enrolled device id");
    }
    this.command = List.copyOf(command);
    this.deviceId = deviceId;
  }

  /** A command given as one string, split at whitespace (no quoting). */
  public static List<String> split(String command) {
    String t = command.trim();
    return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
  }

  @Override
  public String format() {
    return "nitro";
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  @Override
  public byte[] evidence(byte[] reportData) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot start the NSM helper '" + command.get(0) + "': " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> stderr = drain(p.getErrorStream());
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write((HexFormat.of().formatHex(reportData) + "\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // The helper may exit without reading; its exit status says what happened.
      }
      byte[] doc = readBounded(p.getInputStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the NSM helper did not finish within " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "the NSM helper '"
                + command.get(0)
                + "' exited with status "
                + p.exitValue()
                + ": "
                + tail(stderr.join()));
      }
      if (doc.length == 0) {
        throw new IOException("the NSM helper '" + command.get(0) + "' wrote no document");
      }
      return doc;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the NSM helper", e);
    } finally {
      p.destroy();
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) != -1; ) {
      if (out.size() + n > MAX_DOCUMENT_BYTES) {
        throw new IOException(
            "the NSM helper wrote more than " + MAX_DOCUMENT_BYTES + " bytes; not a document");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static CompletableFuture<byte[]> drain(InputStream err) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return err.readAllBytes();
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }

  private static String tail(byte[] stderr) {
    String s = new String(stderr, StandardCharsets.UTF_8).strip();
    if (s.isEmpty()) {
      return "(no message)";
    }
    return s.length() <= STDERR_SHOWN ? s : "..." + s.substring(s.length() - STDERR_SHOWN);
  }
}
