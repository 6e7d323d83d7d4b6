// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.Appraiser;
import dev.arca.attestation.registry.CertificateFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Roots added to a vendor-rooted verifier's pinned ones by {@code arca.formats.<format>.test-roots}
 * ({@link CertificateFiles}: files, or directories of {@code *.pem} / {@code *.crt}), for
 * test-signed Nitro documents, SEV-SNP reports and TDX quotes: only the {@code %test} profile sets
 * it, so a production service trusts the AWS, AMD and Intel roots alone. Read at each appraisal, so
 * a test that makes its CA after the service started pins it by writing the file.
 */
final class TestRoots implements Appraiser.ExtraAnchors {
  private final Map<String, List<Path>> byFormat;

  TestRoots(Map<String, List<Path>> byFormat) {
    this.byFormat = Map.copyOf(byFormat);
  }

  @Override
  public List<X509Certificate> forFormat(String format) {
    List<Path> paths = byFormat.get(format);
    return paths == null ? List.of() : CertificateFiles.read(paths, format + " test root");
  }
}
