// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ArcaPolicyEngine;
import dev.arca.appraisal.PolicyEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The framework-free appraisal module's rules as the service's beans (singletons: the classes are
 * immutable and final, so they are not proxied).
 */
@ApplicationScoped
public class AppraisalBeans {
  private static final Logger LOG = Logger.getLogger(AppraisalBeans.class);

  /** The policy engine the registry compiles with. */
  @Produces
  @Singleton
  PolicyEngine policyEngine() {
    return new ArcaPolicyEngine();
  }

  /**
   * The appraiser every attestation goes through: the same one an auditor replays with. A test
   * service adds its test Nitro root ({@code arca.formats.nitro.test-roots}, set only by the {@code
   * %test} profile); an auditor replaying such entries would need that root too.
   */
  @Produces
  @Singleton
  Appraiser appraiser(
      @ConfigProperty(name = "arca.formats.nitro.test-roots") Optional<List<String>> nitroRoots) {
    List<String> roots = nitroRoots.orElse(List.of());
    if (roots.isEmpty()) {
      return Appraiser.builtin();
    }
    LOG.warnf(
        "arca.formats.nitro.test-roots adds test roots %s to the pinned AWS Nitro root: for tests"
            + " only, never in production",
        roots);
    return Appraiser.builtin(new TestRoots(roots.stream().map(Path::of).toList()));
  }
}
