// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Certificates an operator pins by configuration: PEM or DER files, or directories of {@code *.pem}
 * / {@code *.crt} files (read in name order). A location that does not exist adds nothing.
 */
public final class CertificateFiles {
  private CertificateFiles() {}

  /**
   * Every certificate at {@code locations}.
   *
   * @param what what the certificates are, for messages (e.g. "EK root")
   * @throws IllegalStateException when a file is not a certificate or a directory cannot be listed
   *     (an operator error, reported as a server fault, never blamed on a device)
   */
  public static List<X509Certificate> read(List<Path> locations, String what) {
    List<X509Certificate> out = new ArrayList<>();
    for (Path p : locations) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          for (Path f : files.sorted().toList()) {
            String n = f.getFileName().toString();
            if (Files.isRegularFile(f) && (n.endsWith(".pem") || n.endsWith(".crt"))) {
              out.addAll(readFile(f, what));
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot list " + what + " directory " + p, e);
        }
      } else if (Files.isRegularFile(p)) {
        out.addAll(readFile(p, what));
      }
    }
    return out;
  }

  private static List<X509Certificate> readFile(Path f, String what) {
    try (InputStream in = Files.newInputStream(f)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException(what + " file " + f + " is not a PEM/DER certificate", e);
    }
  }
}
