// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apps that may use an attested key (AuthorizationList tag 709, AOSP keystore attestation
 * schema {@code AttestationApplicationId}): package names with versions and the SHA-256 digests of
 * the signing certificates. Immutable.
 *
 * @param packages package name and version code of each app sharing the key's UID
 * @param signatureDigests signing certificate digests, lower-case hex
 */
public record AttestationApplicationId(List<Package> packages, List<String> signatureDigests) {
  public AttestationApplicationId {
    packages = List.copyOf(packages);
    signatureDigests = List.copyOf(signatureDigests);
  }

  /** One package: its name and version code. */
  // Named after the Android attestation schema's package entry; always used qualified.
  @SuppressWarnings("JavaLangClash")
  public record Package(String name, long version) {}

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** JSON-friendly form for raw claims. */
  public Map<String, Object> toClaims() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "packages",
        packages.stream()
            .map(p -> (Object) Map.of("name", p.name(), "version", p.version()))
            .toList());
    m.put("signatureDigests", signatureDigests);
    return m;
  }
}
