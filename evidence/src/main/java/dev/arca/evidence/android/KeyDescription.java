// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Android key attestation extension (OID {@value #OID}), as in the AOSP keystore attestation
 * schema {@code KeyDescription}: who attested (security levels, versions), the challenge the app
 * passed in, and the key's properties as enforced by software and by secure hardware. Immutable.
 *
 * @param attestationVersion schema version (3 = Keymaster 4, 100.. = KeyMint)
 * @param attestationSecurityLevel where the attestation was made
 * @param keymasterVersion Keymaster / KeyMint version
 * @param keymasterSecurityLevel where the key lives
 * @param attestationChallenge the challenge given to the device (Arca's nonce)
 * @param uniqueId the privacy-preserving device-unique id, often empty
 * @param softwareEnforced properties enforced by Android itself
 * @param hardwareEnforced properties enforced by the TEE or StrongBox ({@code teeEnforced})
 */
public record KeyDescription(
    int attestationVersion,
    SecurityLevel attestationSecurityLevel,
    int keymasterVersion,
    SecurityLevel keymasterSecurityLevel,
    byte[] attestationChallenge,
    byte[] uniqueId,
    AuthorizationList softwareEnforced,
    AuthorizationList hardwareEnforced) {

  /** The X.509 extension that carries the key description. */
  public static final String OID = "1.3.6.1.4.1.11129.2.1.17";

  public KeyDescription {
    attestationChallenge = attestationChallenge.clone();
    uniqueId = uniqueId.clone();
  }

  @Override
  public byte[] attestationChallenge() {
    return attestationChallenge.clone();
  }

  @Override
  public byte[] uniqueId() {
    return uniqueId.clone();
  }

  /** JSON-friendly form for raw claims (bytes as hex). */
  public Map<String, Object> toClaims() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attestationVersion", attestationVersion);
    m.put("attestationSecurityLevel", attestationSecurityLevel.claimName());
    m.put("keymasterVersion", keymasterVersion);
    m.put("keymasterSecurityLevel", keymasterSecurityLevel.claimName());
    m.put("attestationChallenge", HexFormat.of().formatHex(attestationChallenge));
    m.put("uniqueId", HexFormat.of().formatHex(uniqueId));
    m.put("softwareEnforced", softwareEnforced.toClaims());
    m.put("teeEnforced", hardwareEnforced.toClaims());
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyDescription k
        && k.attestationVersion == attestationVersion
        && k.attestationSecurityLevel == attestationSecurityLevel
        && k.keymasterVersion == keymasterVersion
        && k.keymasterSecurityLevel == keymasterSecurityLevel
        && java.util.Arrays.equals(k.attestationChallenge, attestationChallenge)
        && java.util.Arrays.equals(k.uniqueId, uniqueId);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(attestationChallenge) * 31 + attestationVersion;
  }

  @Override
  public String toString() {
    return "KeyDescription[version="
        + attestationVersion
        + ", level="
        + attestationSecurityLevel
        + ", keymaster="
        + keymasterVersion
        + "]";
  }
}
