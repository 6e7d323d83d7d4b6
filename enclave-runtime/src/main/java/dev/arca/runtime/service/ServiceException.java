// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import java.io.IOException;

/** The attestation service answered with an RFC 9457 problem, or could not be reached. */
public final class ServiceException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;

  public ServiceException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  /** HTTP status, or 0 when the service could not be reached. */
  public int status() {
    return status;
  }

  /** The problem type URI (stable), or {@code unreachable}. */
  public String type() {
    return type;
  }
}
