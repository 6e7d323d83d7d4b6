package dev.arca.evidence;

import java.util.Objects;

/**
 * One reason evidence did not verify.
 *
 * @param id stable identifier, {@code <format>.<part>.<what>} (e.g. {@code
 *     tpm2.quote.signature-invalid}); tools and policies may match on it
 * @param message what went wrong, for a person; never contains secret material
 */
public record Failure(String id, String message) {
  public Failure {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return id + ": " + message;
  }
}
