// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import dev.arca.tpm.Tpm2Tools;
import java.io.IOException;

/**
 * The device's TPM for {@code arca device enroll --tpm}, found with {@link
 * java.util.ServiceLoader}. The device runtime's plugin (module {@code cli-runtime}) provides it
 * with the runtime's own TPM session, so enrolment opens the TPM exactly as attestation later does,
 * and the core tool carries no runtime code. Enrolment runs on the device, where that plugin is
 * installed.
 */
public interface DeviceTpm {

  /**
   * Opens the TPM a {@code --tpm} value names.
   *
   * @param tpm {@code /dev/tpmrm0} (any device path) or {@code swtpm:<host>:<port>}
   * @throws IllegalArgumentException for any other form
   * @throws IOException when the session's private work directory cannot be created
   */
  Session open(String tpm) throws IOException;

  /** An open TPM; closing it deletes its work files. */
  interface Session extends AutoCloseable {
    /** The TPM commands, bound to this session's work directory. */
    Tpm2Tools tools();

    @Override
    void close();
  }
}
