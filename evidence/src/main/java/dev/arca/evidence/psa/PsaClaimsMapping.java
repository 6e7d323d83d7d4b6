// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

import dev.arca.evidence.Claims;
import dev.arca.evidence.Trustworthiness;
import java.util.ArrayList;
import java.util.List;

/**
 * How PSA-style platform claims (PSA tokens and the CCA platform token) become normalized claims:
 * software components as measurements and TCB versions, and the EAR vector a lifecycle supports.
 */
public final class PsaClaimsMapping {
  private PsaClaimsMapping() {}

  /**
   * Adds each component's measurement under its measurement type (or {@code component<i>} when the
   * type is missing or repeats) and its version as a TCB level.
   */
  public static void addComponents(
      Claims.Builder b, String prefix, List<SoftwareComponent> components) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      SoftwareComponent c = components.get(i);
      String type = c.measurementType().filter(n -> !seen.contains(n)).orElse("component" + i);
      seen.add(type);
      String name = prefix + type;
      b.measurement(name, c.measurementValue());
      c.version().ifPresent(v -> b.tcb(name + ".version", v));
    }
  }

  /** EAR vector from the lifecycle: only {@code secured} affirms; debug contraindicates. */
  public static Trustworthiness trustworthiness(PsaLifecycle lc) {
    Trustworthiness tw =
        Trustworthiness.empty()
            .with(Trustworthiness.Claim.INSTANCE_IDENTITY, Trustworthiness.AFFIRMING);
    if (lc.secured()) {
      return tw.with(Trustworthiness.Claim.HARDWARE, Trustworthiness.AFFIRMING)
          .with(Trustworthiness.Claim.CONFIGURATION, Trustworthiness.AFFIRMING);
    }
    if (lc.debug()) {
      return tw.with(Trustworthiness.Claim.CONFIGURATION, Trustworthiness.CONTRAINDICATED)
          .with(Trustworthiness.Claim.EXECUTABLES, Trustworthiness.CONTRAINDICATED);
    }
    return tw.with(Trustworthiness.Claim.HARDWARE, Trustworthiness.CONTRAINDICATED)
        .with(Trustworthiness.Claim.CONFIGURATION, Trustworthiness.CONTRAINDICATED);
  }
}
