// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.Appraiser;
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
 * Roots added to the Nitro verifier's pinned AWS root by {@code arca.formats.nitro.test-roots} (PEM
 * files or directories of {@code *.pem}), for test-signed documents: only the {@code %test} profile
 * sets it, so a production service trusts the AWS root alone. Read at each appraisal, so a test
 * that makes its CA after the service started pins it by writing the file.
 */
final class TestRoots implements Appraiser.ExtraAnchors {
  private final List<Path> nitro;

  TestRoots(List<Path> nitro) {
    this.nitro = List.copyOf(nitro);
  }

  @Override
  public List<X509Certificate> forFormat(String format) {
    if (!"nitro".equals(format)) {
      return List.of();
    }
    List<X509Certificate> roots = new ArrayList<>();
    for (Path p : nitro) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          for (Path f : files.sorted().toList()) {
            if (Files.isRegularFile(f) && f.getFileName().toString().endsWith(".pem")) {
              roots.addAll(read(f));
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot list test-root directory " + p, e);
        }
      } else if (Files.isRegularFile(p)) {
        roots.addAll(read(p));
      }
    }
    return roots;
  }

  private static List<X509Certificate> read(Path f) {
    try (InputStream in = Files.newInputStream(f)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("test-root file " + f + " is not a PEM certificate", e);
    }
  }
}
