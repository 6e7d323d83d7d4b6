// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import java.io.IOException;

/**
 * A TPM command or the software TPM failed: the tool is missing, timed out, or exited non-zero. The
 * message names the command, its exit code and the last lines it printed to standard error; it
 * never contains key material (tpm2-tools prints none to standard error).
 */
public final class TpmToolException extends IOException {
  private static final long serialVersionUID = 1L;

  public TpmToolException(String message) {
    super(message);
  }

  public TpmToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
