// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import dev.arca.runtime.lease.SecretSealer;
import dev.arca.tpm.Tpm2Tools;
import java.io.IOException;
import java.util.List;

/**
 * Seals secrets with the device's TPM to the quoted PCRs ({@link Tpm2RuntimeAttester#QUOTED_PCRS}:
 * boot chain 0-7 and the runtime's measurement log in PCR 23), as they stand while the runtime
 * runs. Another operating system, boot loader or firmware changes PCRs 0-7; a runtime with other
 * jars, JVM arguments, flags or configuration extends another PCR 23; another TPM cannot load the
 * blob at all. Any of these makes {@link #unseal} fail.
 */
final class TpmSealer implements SecretSealer {
  private final Tpm2Tools tools;

  TpmSealer(Tpm2Tools tools) {
    this.tools = tools;
  }

  @Override
  public byte[] seal(byte[] secret) throws IOException {
    return tools.seal(secret, Tpm2RuntimeAttester.BANK, pcrs()).encoded();
  }

  @Override
  public byte[] unseal(byte[] sealed) throws IOException {
    Tpm2Tools.SealedObject object;
    try {
      object = Tpm2Tools.SealedObject.decode(sealed);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a sealed TPM object: " + e.getMessage(), e);
    }
    return tools.unseal(object, Tpm2RuntimeAttester.BANK, pcrs());
  }

  private static List<Integer> pcrs() {
    return Tpm2RuntimeAttester.QUOTED_PCRS;
  }
}
