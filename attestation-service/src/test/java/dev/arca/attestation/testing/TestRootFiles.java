// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Pins a test CA for a vendor-rooted format by writing it where the {@code %test} profile's {@code
 * arca.formats.<format>.test-roots} points ({@code target/test-<format>-roots}, relative to the
 * module); the service re-reads that directory at each appraisal. A run writes its own root file
 * and leaves it for the rest of the JVM: the shared audit log's later replays need it.
 */
public final class TestRootFiles {
  private TestRootFiles() {}

  /** Writes {@code root} as {@code <name>.pem} into {@code format}'s test-roots directory. */
  public static void pin(String format, String name, X509Certificate root) {
    Path dir = Path.of("target", "test-" + format + "-roots");
    try {
      Files.createDirectories(dir);
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(root.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.writeString(dir.resolve(name + ".pem"), pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
