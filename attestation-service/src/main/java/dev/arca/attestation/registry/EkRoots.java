// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
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
 * The pinned TPM manufacturer roots (EK certificate anchors), read from configured PEM files and
 * directories of {@code *.pem} / {@code *.crt} files. Read at each enrolment (enrolment is rare),
 * so an operator adds a manufacturer's root by dropping its file in the directory, without a
 * restart.
 *
 * <p>No root configured means no TPM can enrol: the service never falls back to trusting any EK.
 */
final class EkRoots {
  private final List<Path> locations;

  EkRoots(List<Path> locations) {
    this.locations = List.copyOf(locations);
  }

  /**
   * The roots now configured.
   *
   * @throws ProblemException {@code enrolment/ek-roots-not-configured} when there are none
   * @throws IllegalStateException when a configured file is not a certificate (an operator error,
   *     reported as a server fault, not blamed on the device)
   */
  List<X509Certificate> load() {
    List<X509Certificate> roots = new ArrayList<>();
    for (Path p : locations) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          for (Path f : files.sorted().toList()) {
            String n = f.getFileName().toString();
            if (Files.isRegularFile(f) && (n.endsWith(".pem") || n.endsWith(".crt"))) {
              roots.addAll(read(f));
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot list EK root directory " + p, e);
        }
      } else if (Files.isRegularFile(p)) {
        roots.addAll(read(p));
      }
    }
    if (roots.isEmpty()) {
      throw new ProblemException(
          ProblemType.EK_ROOTS_NOT_CONFIGURED,
          "no TPM manufacturer root is pinned (arca.tpm.ek-roots names no certificate); an"
              + " operator must add the EK root CA of the device's TPM vendor first");
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
      throw new IllegalStateException("EK root file " + f + " is not a PEM/DER certificate", e);
    }
  }
}
