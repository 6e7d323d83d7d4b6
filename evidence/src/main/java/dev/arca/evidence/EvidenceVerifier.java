// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Verifies one evidence format: parses the evidence, checks its signatures and certificate chains
 * against pinned roots at {@link VerificationContext#time()}, checks the binding to the expected
 * nonce or report data, and returns normalized {@link Claims}.
 *
 * <p>Implementations are stateless and thread-safe; caches (e.g. of validated chains keyed by
 * fingerprint) must be safe to share.
 */
public interface EvidenceVerifier {

  /** The format this verifier handles. */
  FormatDescriptor descriptor();

  /**
   * Verifies evidence.
   *
   * @param evidence the evidence bytes, as produced by {@link #readEvidence(Path)} or sent by an
   *     attester
   * @param context what to check it against; never the wall clock implicitly
   * @return the claims the evidence proves; never null
   * @throws EvidenceException listing every reason found when the evidence cannot be parsed or does
   *     not verify (the attester's fault)
   */
  Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException;

  /**
   * Reads evidence from a file, or from a directory for formats whose evidence is several files
   * (those override this and document the file names). The result is what {@link #verify} takes.
   *
   * @throws IOException when the file or directory cannot be read or lacks a required file
   */
  default byte[] readEvidence(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new IOException(
          "format " + descriptor().name() + " takes a single file, but " + path + " is a folder");
    }
    return Files.readAllBytes(path);
  }
}
