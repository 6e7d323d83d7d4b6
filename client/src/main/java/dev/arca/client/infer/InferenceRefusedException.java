// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.infer;

/**
 * The runtime refused an inference request inside the encrypted channel (e.g. {@code
 * lease.data-class-not-granted}, {@code infer.tensor-mismatch}); only the application sees why.
 */
public final class InferenceRefusedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String id;
  private final int status;

  public InferenceRefusedException(InferenceMessages.Refusal refusal) {
    super(refusal.message());
    this.id = refusal.id();
    this.status = refusal.status();
  }

  /** The runtime's stable refusal id. */
  public String id() {
    return id;
  }

  /** The HTTP status of the refusal inside the encapsulated response (4xx or 5xx). */
  public int status() {
    return status;
  }
}
