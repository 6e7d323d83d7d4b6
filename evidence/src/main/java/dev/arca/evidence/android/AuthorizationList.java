// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One of the two key-property lists of a {@link KeyDescription} (AOSP keystore attestation schema
 * {@code AuthorizationList}): the properties enforced by software, or by the TEE / StrongBox.
 * Absent tags are empty. Tags Arca does not interpret are kept as hex DER under their tag number in
 * {@link #otherTags()}. Immutable.
 */
public final class AuthorizationList {
  private final List<Long> purposes;
  private final Long algorithm;
  private final Long keySize;
  private final List<Long> digests;
  private final Long ecCurve;
  private final Long origin;
  private final Long creationDateTime;
  private final RootOfTrust rootOfTrust;
  private final Long osVersion;
  private final Long osPatchLevel;
  private final Long vendorPatchLevel;
  private final Long bootPatchLevel;
  private final AttestationApplicationId attestationApplicationId;
  private final AttestedDeviceIds attestedIds;
  private final Map<Integer, String> otherTags;

  AuthorizationList(Builder b) {
    this.purposes = List.copyOf(b.purposes);
    this.algorithm = b.algorithm;
    this.keySize = b.keySize;
    this.digests = List.copyOf(b.digests);
    this.ecCurve = b.ecCurve;
    this.origin = b.origin;
    this.creationDateTime = b.creationDateTime;
    this.rootOfTrust = b.rootOfTrust;
    this.osVersion = b.osVersion;
    this.osPatchLevel = b.osPatchLevel;
    this.vendorPatchLevel = b.vendorPatchLevel;
    this.bootPatchLevel = b.bootPatchLevel;
    this.attestationApplicationId = b.attestationApplicationId;
    this.attestedIds = new AttestedDeviceIds(b.attestedIds);
    this.otherTags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.otherTags));
  }

  /** Tag 1: key purposes (0 encrypt, 1 decrypt, 2 sign, 3 verify, ...). */
  public List<Long> purposes() {
    return purposes;
  }

  /** Tag 2: key algorithm (1 RSA, 3 EC, 32 AES, 128 HMAC). */
  public OptionalLong algorithm() {
    return opt(algorithm);
  }

  /** Tag 3: key size in bits. */
  public OptionalLong keySize() {
    return opt(keySize);
  }

  /** Tag 5: digests the key may be used with. */
  public List<Long> digests() {
    return digests;
  }

  /** Tag 10: EC curve (0 P-224, 1 P-256, 2 P-384, 3 P-521, 4 Curve25519). */
  public OptionalLong ecCurve() {
    return opt(ecCurve);
  }

  /** Tag 702: where the key came from (0 generated, 2 imported, 4 securely imported). */
  public OptionalLong origin() {
    return opt(origin);
  }

  /** Tag 701: key creation time, milliseconds since the epoch. */
  public OptionalLong creationDateTime() {
    return opt(creationDateTime);
  }

  /** Tag 704: the verified boot state. */
  public Optional<RootOfTrust> rootOfTrust() {
    return Optional.ofNullable(rootOfTrust);
  }

  /** Tag 705: OS version, e.g. 90000 for 9.0.0 (0 when not reported). */
  public OptionalLong osVersion() {
    return opt(osVersion);
  }

  /** Tag 706: OS security patch level, YYYYMM. */
  public OptionalLong osPatchLevel() {
    return opt(osPatchLevel);
  }

  /** Tag 718: vendor patch level, YYYYMMDD (or YYYYMM). */
  public OptionalLong vendorPatchLevel() {
    return opt(vendorPatchLevel);
  }

  /** Tag 719: boot image patch level, YYYYMMDD (or YYYYMM). */
  public OptionalLong bootPatchLevel() {
    return opt(bootPatchLevel);
  }

  /** Tag 709: the apps that may use the key. */
  public Optional<AttestationApplicationId> attestationApplicationId() {
    return Optional.ofNullable(attestationApplicationId);
  }

  /** Tags 710..717: the attested device identifiers (ID attestation); empty when none. */
  public AttestedDeviceIds attestedIds() {
    return attestedIds;
  }

  /** Every other tag present, tag number to hex of its DER content. */
  public Map<Integer, String> otherTags() {
    return otherTags;
  }

  /** JSON-friendly form for raw claims; absent tags are omitted. */
  public Map<String, Object> toClaims() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!purposes.isEmpty()) {
      m.put("purpose", purposes);
    }
    putIf(m, "algorithm", algorithm);
    putIf(m, "keySize", keySize);
    if (!digests.isEmpty()) {
      m.put("digest", digests);
    }
    putIf(m, "ecCurve", ecCurve);
    putIf(m, "origin", origin);
    putIf(m, "creationDateTime", creationDateTime);
    if (rootOfTrust != null) {
      m.put("rootOfTrust", rootOfTrust.toClaims());
    }
    putIf(m, "osVersion", osVersion);
    putIf(m, "osPatchLevel", osPatchLevel);
    putIf(m, "vendorPatchLevel", vendorPatchLevel);
    putIf(m, "bootPatchLevel", bootPatchLevel);
    if (attestationApplicationId != null) {
      m.put("attestationApplicationId", attestationApplicationId.toClaims());
    }
    if (!attestedIds.isEmpty()) {
      m.put("attestedIds", attestedIds.toClaims());
    }
    if (!otherTags.isEmpty()) {
      Map<String, Object> other = new LinkedHashMap<>();
      otherTags.forEach((k, v) -> other.put(Integer.toString(k), v));
      m.put("otherTags", other);
    }
    return m;
  }

  private static void putIf(Map<String, Object> m, String name, Long v) {
    if (v != null) {
      m.put(name, v);
    }
  }

  private static OptionalLong opt(Long v) {
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** Filled by {@link KeyDescriptionParser}. */
  static final class Builder {
    List<Long> purposes = List.of();
    Long algorithm;
    Long keySize;
    List<Long> digests = List.of();
    Long ecCurve;
    Long origin;
    Long creationDateTime;
    RootOfTrust rootOfTrust;
    Long osVersion;
    Long osPatchLevel;
    Long vendorPatchLevel;
    Long bootPatchLevel;
    AttestationApplicationId attestationApplicationId;
    final Map<String, String> attestedIds = new LinkedHashMap<>();
    final Map<Integer, String> otherTags = new LinkedHashMap<>();

    AuthorizationList build() {
      return new AuthorizationList(this);
    }
  }
}
