// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.Appraiser;
import dev.arca.attestation.registry.CertificateFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Roots added to the Nitro verifier's pinned AWS root by {@code arca.formats.nitro.test-roots}
 * ({@link CertificateFiles}: files, or directories of {@code *.pem} / {@code *.crt}), for
 * test-signed documents: only the {@code %test} profile sets it, so a production service trusts the
 * AWS root alone. Read at each appraisal, so a test that makes its CA after the service started
 * pins it by writing the file.
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
    return CertificateFiles.read(nitro, "Nitro test root");
  }
}
