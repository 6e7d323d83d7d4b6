// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.tensor;

/** A tensor could not be decoded or does not match what the model expects. */
public final class TensorFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String id;

  /**
   * @param id stable id, e.g. {@code tensor.truncated}
   * @param message what is wrong, for a person
   */
  public TensorFormatException(String id, String message) {
    super(message);
    this.id = id;
  }

  /** Stable id of the failure. */
  public String id() {
    return id;
  }
}
