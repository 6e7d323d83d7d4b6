// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ArcaPolicyEngine;
import dev.arca.appraisal.PolicyEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The framework-free appraisal module's rules as the service's beans (singletons: the classes are
 * immutable and final, so they are not proxied).
 */
@ApplicationScoped
public class AppraisalBeans {

  /** The policy engine the registry compiles with. */
  @Produces
  @Singleton
  PolicyEngine policyEngine() {
    return new ArcaPolicyEngine();
  }

  /** The appraiser every attestation goes through: the same one an auditor replays with. */
  @Produces
  @Singleton
  Appraiser appraiser() {
    return Appraiser.builtin();
  }
}
