// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.List;
import java.util.Objects;

/**
 * Names an evidence format: a stable short name used on the command line and in the API (e.g.
 * {@code tpm2}), the version of Arca's verifier for it, and the media types it accepts.
 *
 * @param name short, lower-case name; unique in a {@link EvidenceRegistry}
 * @param version version of this verifier (bumped when its claims or checks change)
 * @param mediaTypes media types that identify this evidence; each unique in a registry
 */
public record FormatDescriptor(String name, String version, List<String> mediaTypes) {
  public FormatDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    mediaTypes = List.copyOf(mediaTypes);
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("format name must be lower-case [a-z0-9-]: " + name);
    }
  }
}
