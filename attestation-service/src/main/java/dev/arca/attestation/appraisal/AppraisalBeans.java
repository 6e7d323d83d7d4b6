// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ArcaPolicyEngine;
import dev.arca.appraisal.PolicyEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
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

  /** The formats whose verifiers a test service may add test roots to (vendor-rooted ones). */
  static final List<String> TEST_ROOT_FORMATS = List.of("nitro", "sev-snp", "tdx", "android-key");

  /**
   * The appraiser every attestation goes through: the same one an auditor replays with. A test
   * service adds test roots to a vendor-rooted format ({@code arca.formats.<format>.test-roots},
   * set only by the {@code %test} profile, for nitro, sev-snp, tdx and android-key); an auditor
   * replaying such entries would need those roots too.
   */
  @Produces
  @Singleton
  Appraiser appraiser(Config config) {
    Map<String, List<Path>> roots = new LinkedHashMap<>();
    for (String format : TEST_ROOT_FORMATS) {
      String key = "arca.formats." + format + ".test-roots";
      List<String> paths = config.getOptionalValues(key, String.class).orElse(List.of());
      if (!paths.isEmpty()) {
        LOG.warnf(
            "%s adds test roots %s to the pinned %s roots: for tests only, never in production",
            key, paths, format);
        roots.put(format, paths.stream().map(Path::of).toList());
      }
    }
    return roots.isEmpty() ? Appraiser.builtin() : Appraiser.builtin(new TestRoots(roots));
  }
}
