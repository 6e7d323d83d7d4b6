// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.io.IOException;

/**
 * The request body passed the configured limit. An {@link IOException} so that it passes through
 * JSON parsers unchanged and is mapped to {@link ProblemType#BODY_TOO_LARGE}.
 */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  public BodyTooLargeException(long limit) {
    super("request body larger than " + limit + " bytes");
  }
}
