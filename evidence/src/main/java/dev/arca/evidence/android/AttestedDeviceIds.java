// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The device identifiers of Android "ID attestation" (AuthorizationList tags 710..717, each an
 * OCTET STRING): values a device-owner app may ask the secure hardware to attest, which the TEE or
 * StrongBox checks against those provisioned at the factory. Only the copy in the hardware-enforced
 * list is checked by the hardware. Values are decoded as UTF-8. Immutable.
 */
public final class AttestedDeviceIds {
  /** Tag number to the claim name of each identifier, in tag order. */
  static final Map<Integer, String> TAGS;

  static {
    Map<Integer, String> t = new LinkedHashMap<>();
    t.put(710, "brand");
    t.put(711, "device");
    t.put(712, "product");
    t.put(713, "serial");
    t.put(714, "imei");
    t.put(715, "meid");
    t.put(716, "manufacturer");
    t.put(717, "model");
    TAGS = Collections.unmodifiableMap(t);
  }

  private final Map<String, String> values;

  /**
   * @param values claim name (see {@link #TAGS}) to value
   */
  AttestedDeviceIds(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Tag 710: {@code Build.BRAND}. */
  public Optional<String> brand() {
    return get("brand");
  }

  /** Tag 711: {@code Build.DEVICE}. */
  public Optional<String> device() {
    return get("device");
  }

  /** Tag 712: {@code Build.PRODUCT}. */
  public Optional<String> product() {
    return get("product");
  }

  /** Tag 713: the device serial number. */
  public Optional<String> serial() {
    return get("serial");
  }

  /** Tag 714: an IMEI. */
  public Optional<String> imei() {
    return get("imei");
  }

  /** Tag 715: the MEID. */
  public Optional<String> meid() {
    return get("meid");
  }

  /** Tag 716: {@code Build.MANUFACTURER}. */
  public Optional<String> manufacturer() {
    return get("manufacturer");
  }

  /** Tag 717: {@code Build.MODEL}. */
  public Optional<String> model() {
    return get("model");
  }

  /** Whether no identifier is attested. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Claim name to value, in tag order. */
  public Map<String, String> toClaims() {
    return values;
  }

  private Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }
}
