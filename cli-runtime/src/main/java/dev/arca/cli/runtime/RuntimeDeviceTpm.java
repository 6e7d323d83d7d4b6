// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import dev.arca.cli.admin.DeviceTpm;
import dev.arca.runtime.attester.TpmSession;
import dev.arca.tpm.Tpm2Tools;
import java.io.IOException;

/** {@code arca device enroll --tpm} on the runtime's own {@link TpmSession}. */
public final class RuntimeDeviceTpm implements DeviceTpm {

  @Override
  public Session open(String tpm) throws IOException {
    TpmSession session = TpmSession.open(tpm);
    return new Session() {
      @Override
      public Tpm2Tools tools() {
        return session.tools();
      }

      @Override
      public void close() {
        session.close();
      }
    };
  }
}
