// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

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
    List<X509Certificate> roots = CertificateFiles.read(locations, "EK root");
    if (roots.isEmpty()) {
      throw new ProblemException(
          ProblemType.EK_ROOTS_NOT_CONFIGURED,
          "no TPM manufacturer root is pinned (arca.tpm.ek-roots names no certificate); an"
              + " operator must add the EK root CA of the device's TPM vendor first");
    }
    return roots;
  }
}
