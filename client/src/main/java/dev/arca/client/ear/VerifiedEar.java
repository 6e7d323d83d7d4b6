// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.ear;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An EAR attestation result whose signature, issuer, profile, audience (when one was named), expiry
 * and statuses verified.
 *
 * @param deviceId the attested device ({@code sub})
 * @param runtimeKey the runtime's raw X25519 public key ({@code cnf.jwk.x}): encrypt only to it
 * @param statuses {@code ear.status} per appraised component
 * @param policies {@code ear.appraisal-policy-id} per appraised component
 * @param grants what the runtime may serve ({@code dev.arca.grants})
 */
public record VerifiedEar(
    String deviceId,
    byte[] runtimeKey,
    Map<String, String> statuses,
    Map<String, String> policies,
    List<Grant> grants,
    Instant expiresAt) {

  /** One granted model version and the data classes it may process. */
  public record Grant(String model, long version, List<String> dataClasses) {
    public Grant {
      dataClasses = List.copyOf(dataClasses);
    }
  }

  public VerifiedEar {
    runtimeKey = runtimeKey.clone();
    statuses = Map.copyOf(statuses);
    policies = Map.copyOf(policies);
    grants = List.copyOf(grants);
  }

  @Override
  public byte[] runtimeKey() {
    return runtimeKey.clone();
  }

  /**
   * The grant for {@code model} covering {@code dataClass}.
   *
   * @throws EarException {@link EarException#NOT_GRANTED}
   */
  public Grant requireGrant(String model, String dataClass) throws EarException {
    for (Grant g : grants) {
      if (g.model().equals(model) && g.dataClasses().contains(dataClass)) {
        return g;
      }
    }
    throw new EarException(
        EarException.NOT_GRANTED,
        "the runtime holds no grant for model '"
            + model
            + "' and data class '"
            + dataClass
            + "' (granted: "
            + grants
            + "); nothing was sent");
  }
}
