// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether this service accepts the {@code dev} format: a software Ed25519 key with no hardware
 * root, so any process that holds it can attest. For development and tests only: off unless {@code
 * arca.formats.dev.enabled=true}, which the dev and test profiles and {@code arca demo} set. When
 * off, {@code dev} devices neither enrol nor attest ({@code format-disabled}); readiness reports
 * the setting, and turning it on logs a warning at start.
 */
@ApplicationScoped
public class DevFormat {
  public static final String FORMAT = "dev";
  public static final String SETTING = "arca.formats.dev.enabled";

  private static final Logger LOG = Logger.getLogger(DevFormat.class);

  @ConfigProperty(name = SETTING, defaultValue = "false")
  boolean enabled;

  /** Whether {@code dev} devices may enrol and attest here. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Refuses the {@code dev} format while it is off.
   *
   * @throws ProblemException {@code format-disabled} if {@code format} is {@code dev} and it is off
   */
  public void require(String format) {
    if (FORMAT.equals(format) && !enabled) {
      throw new ProblemException(
          ProblemType.FORMAT_DISABLED,
          "the dev format (a software key, no hardware root) is for development only and is off"
              + " on this service; enrol the device with a hardware format such as tpm2, or set "
              + SETTING
              + "=true on a development service");
    }
  }

  void warnWhenEnabled(@Observes StartupEvent start) {
    if (enabled) {
      LOG.warnf(
          "%s=true: software-attested dev devices can enrol and attest; development only", SETTING);
    }
  }
}
