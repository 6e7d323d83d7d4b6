// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.util.Map;

/**
 * A failure to report to the client as problem details. The detail is written for a person and
 * never contains a secret.
 */
public class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ProblemType type;
  private final transient Map<String, Object> extensions;

  public ProblemException(ProblemType type, String detail) {
    this(type, detail, Map.of(), null);
  }

  public ProblemException(ProblemType type, String detail, Map<String, Object> extensions) {
    this(type, detail, extensions, null);
  }

  public ProblemException(
      ProblemType type, String detail, Map<String, Object> extensions, Throwable cause) {
    super(detail, cause);
    this.type = type;
    this.extensions = Map.copyOf(extensions);
  }

  public ProblemType type() {
    return type;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
