// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The forms a secret would take if someone logged it: raw, hex, base64, base64url. */
public final class LogScan {
  private LogScan() {}

  /**
   * Every form to search logs for. Base64 is taken at all three byte alignments, so a secret in the
   * middle of a logged base64 blob is found too (the first and last partial groups are dropped).
   */
  public static List<String> encodings(byte[] secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(new String(secret, StandardCharsets.ISO_8859_1));
    forms.add(HexFormat.of().formatHex(secret));
    forms.add(HexFormat.of().withUpperCase().formatHex(secret));
    for (int skip = 0; skip < 3; skip++) {
      byte[] aligned = java.util.Arrays.copyOfRange(secret, skip, secret.length);
      int whole = aligned.length / 3 * 3;
      byte[] groups = java.util.Arrays.copyOf(aligned, whole);
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(groups));
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(groups));
    }
    return List.copyOf(forms);
  }
}
