// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the device registry knows about the device asking for a key. Policies see it as {@code
 * device}; see the module README for each field's CEL name and type.
 *
 * @param id registry id of the device ({@code device.id})
 * @param deviceClass class of device, e.g. {@code imaging-workstation} ({@code device.class})
 * @param site where the device is deployed, e.g. {@code st-mary-hospital} ({@code device.site})
 * @param owner team or organisation that owns the device ({@code device.owner})
 * @param attributes free-form attributes set at enrolment, e.g. firmware ({@code
 *     device.attributes})
 * @param enrolmentMethod how the device was enrolled, e.g. {@code tpm-ek}, {@code sev-snp-chip-id},
 *     {@code dev} ({@code device.enrolment.method})
 * @param enrolledAt when the device was enrolled ({@code device.enrolment.enrolledAt})
 * @param revoked whether the device has been revoked ({@code device.revoked})
 */
public record DeviceFacts(
    String id,
    String deviceClass,
    String site,
    String owner,
    Map<String, String> attributes,
    String enrolmentMethod,
    Instant enrolledAt,
    boolean revoked) {

  /**
   * @throws NullPointerException if any field is null
   */
  public DeviceFacts {
    Objects.requireNonNull(id, "device.id");
    Objects.requireNonNull(deviceClass, "device.class");
    Objects.requireNonNull(site, "device.site");
    Objects.requireNonNull(owner, "device.owner");
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "device.attributes"));
    Objects.requireNonNull(enrolmentMethod, "device.enrolment.method");
    Objects.requireNonNull(enrolledAt, "device.enrolment.enrolledAt");
  }

  /**
   * Starts a builder. {@code id}, {@code enrolmentMethod}, {@code enrolledAt} and {@code revoked}
   * must be set; the others default to empty.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DeviceFacts}. */
  public static final class Builder {
    private String id;
    private String deviceClass = "";
    private String site = "";
    private String owner = "";
    private Map<String, String> attributes = Map.of();
    private String enrolmentMethod;
    private Instant enrolledAt;
    private Boolean revoked;

    private Builder() {}

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder deviceClass(String value) {
      this.deviceClass = value;
      return this;
    }

    public Builder site(String value) {
      this.site = value;
      return this;
    }

    public Builder owner(String value) {
      this.owner = value;
      return this;
    }

    public Builder attributes(Map<String, String> value) {
      this.attributes = value;
      return this;
    }

    public Builder enrolmentMethod(String value) {
      this.enrolmentMethod = value;
      return this;
    }

    public Builder enrolledAt(Instant value) {
      this.enrolledAt = value;
      return this;
    }

    /** Must be set explicitly: an unknown revocation state is not silently "not revoked". */
    public Builder revoked(boolean value) {
      this.revoked = value;
      return this;
    }

    /**
     * Builds the facts.
     *
     * @throws IllegalStateException if a required field was not set
     */
    public DeviceFacts build() {
      Required.check(id, "device.id");
      Required.check(enrolmentMethod, "device.enrolment.method");
      Required.check(enrolledAt, "device.enrolment.enrolledAt");
      Required.check(revoked, "device.revoked");
      return new DeviceFacts(
          id, deviceClass, site, owner, attributes, enrolmentMethod, enrolledAt, revoked);
    }
  }
}
