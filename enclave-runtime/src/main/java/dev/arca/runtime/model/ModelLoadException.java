// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.model;

/** ONNX Runtime could not load or describe a model. */
public final class ModelLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }
}
