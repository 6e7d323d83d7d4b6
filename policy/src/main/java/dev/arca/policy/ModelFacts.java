// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the model registry knows about the model version the device asks for (from its signed
 * manifest). Policies see it as {@code model}.
 *
 * @param id model id ({@code model.id})
 * @param version monotonic model version ({@code model.version}, an int)
 * @param labels free-form labels, e.g. {@code risk: high} ({@code model.labels})
 * @param dataClasses data classes the manifest allows the model to process ({@code
 *     model.dataClasses})
 * @param publisher publisher key id or name ({@code model.publisher})
 */
public record ModelFacts(
    String id,
    long version,
    Map<String, String> labels,
    List<String> dataClasses,
    String publisher) {

  /**
   * @throws NullPointerException if any field is null
   */
  public ModelFacts {
    Objects.requireNonNull(id, "model.id");
    labels = Map.copyOf(Objects.requireNonNull(labels, "model.labels"));
    dataClasses = List.copyOf(Objects.requireNonNull(dataClasses, "model.dataClasses"));
    Objects.requireNonNull(publisher, "model.publisher");
  }

  /** Starts a builder; {@code id} and {@code version} must be set, the rest default to empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ModelFacts}. */
  public static final class Builder {
    private String id;
    private Long version;
    private Map<String, String> labels = Map.of();
    private List<String> dataClasses = List.of();
    private String publisher = "";

    private Builder() {}

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder version(long value) {
      this.version = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels = value;
      return this;
    }

    public Builder dataClasses(List<String> value) {
      this.dataClasses = value;
      return this;
    }

    public Builder publisher(String value) {
      this.publisher = value;
      return this;
    }

    /**
     * Builds the facts.
     *
     * @throws IllegalStateException if {@code id} or {@code version} was not set
     */
    public ModelFacts build() {
      Required.check(id, "model.id");
      Required.check(version, "model.version");
      return new ModelFacts(id, version, labels, dataClasses, publisher);
    }
  }
}
