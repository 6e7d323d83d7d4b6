package dev.arca.attestation.appraisal;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Fail-closed placeholder used only while no policy engine is wired in: every document is refused,
 * so no policy can be active and every attestation is denied by default.
 */
@ApplicationScoped
@DefaultBean
public class UnavailablePolicyEngine implements PolicyEngine {
  @Override
  public CompiledPolicy compile(String document, String sourceName) throws PolicyRejectedException {
    throw new PolicyRejectedException(
        List.of(
            new Problem(
                "policy.engine-unavailable", 0, 0, "this build has no policy engine; deny all")));
  }
}
