// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device's boot state as the secure hardware saw it (AuthorizationList tag 704, AOSP keystore
 * attestation schema {@code RootOfTrust}). Immutable; the byte fields are copied.
 *
 * @param verifiedBootKey digest of the key that verified the boot image (all zero when unlocked on
 *     some devices)
 * @param deviceLocked whether the bootloader is locked
 * @param verifiedBootState outcome of verified boot
 * @param verifiedBootHash digest of the verified boot data (attestation version 3 and later; empty
 *     before)
 */
public record RootOfTrust(
    byte[] verifiedBootKey,
    boolean deviceLocked,
    VerifiedBootState verifiedBootState,
    byte[] verifiedBootHash) {
  public RootOfTrust {
    verifiedBootKey = verifiedBootKey.clone();
    verifiedBootHash = verifiedBootHash.clone();
  }

  @Override
  public byte[] verifiedBootKey() {
    return verifiedBootKey.clone();
  }

  @Override
  public byte[] verifiedBootHash() {
    return verifiedBootHash.clone();
  }

  /** JSON-friendly form for raw claims (bytes as hex). */
  public Map<String, Object> toClaims() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verifiedBootKey", HexFormat.of().formatHex(verifiedBootKey));
    m.put("deviceLocked", deviceLocked);
    m.put("verifiedBootState", verifiedBootState.claimName());
    m.put("verifiedBootHash", HexFormat.of().formatHex(verifiedBootHash));
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootOfTrust r
        && java.util.Arrays.equals(r.verifiedBootKey, verifiedBootKey)
        && r.deviceLocked == deviceLocked
        && r.verifiedBootState == verifiedBootState
        && java.util.Arrays.equals(r.verifiedBootHash, verifiedBootHash);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(verifiedBootKey) * 31 + verifiedBootState.hashCode();
  }

  @Override
  public String toString() {
    return "RootOfTrust[locked=" + deviceLocked + ", state=" + verifiedBootState + "]";
  }
}
