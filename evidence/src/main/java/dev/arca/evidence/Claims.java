// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What verified evidence proves, normalized across formats so that policy can reason about any
 * device. Immutable.
 *
 * <p>{@code measurements} maps a format-specific register name to its hex value (e.g. {@code
 * pcr.sha256.7}, {@code PCR0}, {@code mrtd}, {@code rtmr0}); {@code tcb} maps firmware, TCB and
 * patch-level names to their values; {@code raw} holds the format's own claims for auditors.
 */
public final class Claims {
  private final String format;
  private final boolean hardwareRooted;
  private final String deviceIdentity;
  private final Map<String, String> measurements;
  private final boolean debug;
  private final List<String> insecureFlags;
  private final Map<String, String> tcb;
  private final String securityLevel;
  private final byte[] reportData;
  private final Map<String, Object> raw;
  private final Trustworthiness trustworthiness;

  private Claims(Builder b) {
    this.format = Objects.requireNonNull(b.format, "format");
    this.hardwareRooted = b.hardwareRooted;
    this.deviceIdentity = Objects.requireNonNull(b.deviceIdentity, "deviceIdentity");
    // Insertion order is kept so JSON shows registers in the order the format lists them.
    this.measurements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.measurements));
    this.debug = b.debug;
    this.insecureFlags = List.copyOf(b.insecureFlags);
    this.tcb = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.tcb));
    this.securityLevel = Objects.requireNonNull(b.securityLevel, "securityLevel");
    this.reportData = b.reportData == null ? new byte[0] : b.reportData.clone();
    this.raw = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.raw));
    this.trustworthiness = Objects.requireNonNull(b.trustworthiness, "trustworthiness");
  }

  public static Builder builder(String format) {
    return new Builder(format);
  }

  /** The format's descriptor name. */
  public String format() {
    return format;
  }

  /** True only when a hardware root of trust vouches for the evidence (false for {@code dev}). */
  public boolean hardwareRooted() {
    return hardwareRooted;
  }

  /** A stable identity of the attesting device or key (e.g. AK name, chip id, key id). */
  public String deviceIdentity() {
    return deviceIdentity;
  }

  /** Measurement registers by name, values in lower-case hex. */
  public Map<String, String> measurements() {
    return measurements;
  }

  /** True when the platform says it is debuggable (debug enclave, debug TD, debug guest). */
  public boolean debug() {
    return debug;
  }

  /** Other insecure conditions found, as stable ids (e.g. {@code android.bootloader-unlocked}). */
  public List<String> insecureFlags() {
    return insecureFlags;
  }

  /** Firmware, TCB and patch levels by name. */
  public Map<String, String> tcb() {
    return tcb;
  }

  /** E.g. {@code tee}, {@code strongbox}, {@code tpm}, {@code software}. */
  public String securityLevel() {
    return securityLevel;
  }

  /** The report data (nonce, qualifying data, user data) the evidence actually binds. */
  public byte[] reportData() {
    return reportData.clone();
  }

  /** Report data as lower-case hex. */
  public String reportDataHex() {
    return HexFormat.of().formatHex(reportData);
  }

  /** The format's own claims, JSON-friendly (strings, numbers, booleans, lists, maps). */
  public Map<String, Object> raw() {
    return raw;
  }

  /** The EAR trustworthiness vector the verifier assigns. */
  public Trustworthiness trustworthiness() {
    return trustworthiness;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Claims c
        && c.format.equals(format)
        && c.hardwareRooted == hardwareRooted
        && c.deviceIdentity.equals(deviceIdentity)
        && c.measurements.equals(measurements)
        && c.debug == debug
        && c.insecureFlags.equals(insecureFlags)
        && c.tcb.equals(tcb)
        && c.securityLevel.equals(securityLevel)
        && Arrays.equals(c.reportData, reportData)
        && c.raw.equals(raw)
        && c.trustworthiness.equals(trustworthiness);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, deviceIdentity, measurements, Arrays.hashCode(reportData));
  }

  @Override
  public String toString() {
    return "Claims[format=" + format + ", device=" + deviceIdentity + ", debug=" + debug + "]";
  }

  /** Builds {@link Claims}; format, device identity, security level are required. */
  public static final class Builder {
    private final String format;
    private boolean hardwareRooted;
    private String deviceIdentity;
    private final Map<String, String> measurements = new LinkedHashMap<>();
    private boolean debug;
    private final java.util.ArrayList<String> insecureFlags = new java.util.ArrayList<>();
    private final Map<String, String> tcb = new LinkedHashMap<>();
    private String securityLevel;
    private byte[] reportData;
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private Trustworthiness trustworthiness = Trustworthiness.empty();

    private Builder(String format) {
      this.format = format;
    }

    public Builder hardwareRooted(boolean v) {
      this.hardwareRooted = v;
      return this;
    }

    public Builder deviceIdentity(String v) {
      this.deviceIdentity = v;
      return this;
    }

    public Builder measurement(String name, byte[] value) {
      this.measurements.put(name, HexFormat.of().formatHex(value));
      return this;
    }

    public Builder measurement(String name, String hexValue) {
      this.measurements.put(name, hexValue);
      return this;
    }

    public Builder debug(boolean v) {
      this.debug = v;
      return this;
    }

    public Builder insecureFlag(String id) {
      this.insecureFlags.add(id);
      return this;
    }

    public Builder tcb(String name, String value) {
      this.tcb.put(name, value);
      return this;
    }

    public Builder securityLevel(String v) {
      this.securityLevel = v;
      return this;
    }

    public Builder reportData(byte[] v) {
      this.reportData = v.clone();
      return this;
    }

    public Builder raw(String name, Object value) {
      this.raw.put(name, value);
      return this;
    }

    public Builder trustworthiness(Trustworthiness v) {
      this.trustworthiness = v;
      return this;
    }

    public Claims build() {
      return new Claims(this);
    }
  }
}
