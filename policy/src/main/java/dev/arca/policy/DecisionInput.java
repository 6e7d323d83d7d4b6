// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything a policy decision may look at: the device (from the device registry), the verified
 * evidence, the model version (from its signed manifest), the class of data it will process, the
 * declared purpose of the request, and the time of the decision.
 *
 * <p>Immutable and framework-free; the attestation service fills it from the verifier's claims and
 * its registries, {@code arca policy test} from fixture files. Every field is always present, so a
 * condition can never fail because a variable is missing: the CEL variables {@code device}, {@code
 * evidence}, {@code model}, {@code data.class}, {@code request.purpose} and {@code time} map to
 * these fields as listed in the module README.
 *
 * <p>The decision time is a parameter (never the wall clock), so a decision can be replayed.
 *
 * @param device the device asking
 * @param evidence what its evidence proved
 * @param model the model version asked for
 * @param dataClass the class of data the model will process, e.g. {@code phi}, {@code pci}, {@code
 *     synthetic} ({@code data.class})
 * @param purpose the declared purpose of the request, e.g. {@code treatment} ({@code
 *     request.purpose}); empty when none was declared
 * @param time when the decision is made ({@code time}, a CEL timestamp)
 */
public record DecisionInput(
    DeviceFacts device,
    EvidenceFacts evidence,
    ModelFacts model,
    String dataClass,
    String purpose,
    Instant time) {

  /**
   * @throws NullPointerException if any field is null
   */
  public DecisionInput {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dataClass, "data.class");
    Objects.requireNonNull(purpose, "request.purpose");
    Objects.requireNonNull(time, "time");
  }

  /** Starts a builder; everything but {@code purpose} (default empty) must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DecisionInput}. */
  public static final class Builder {
    private DeviceFacts device;
    private EvidenceFacts evidence;
    private ModelFacts model;
    private String dataClass;
    private String purpose = "";
    private Instant time;

    private Builder() {}

    public Builder device(DeviceFacts value) {
      this.device = value;
      return this;
    }

    public Builder evidence(EvidenceFacts value) {
      this.evidence = value;
      return this;
    }

    public Builder model(ModelFacts value) {
      this.model = value;
      return this;
    }

    public Builder dataClass(String value) {
      this.dataClass = value;
      return this;
    }

    public Builder purpose(String value) {
      this.purpose = value;
      return this;
    }

    /** The decision time; pass the verification time, never read the clock inside a decision. */
    public Builder time(Instant value) {
      this.time = value;
      return this;
    }

    /**
     * Builds the input.
     *
     * @throws IllegalStateException if a required field was not set
     */
    public DecisionInput build() {
      Required.check(device, "device");
      Required.check(evidence, "evidence");
      Required.check(model, "model");
      Required.check(dataClass, "data.class");
      Required.check(time, "time");
      return new DecisionInput(device, evidence, model, dataClass, purpose, time);
    }
  }
}
