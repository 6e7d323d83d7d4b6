// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of running one {@link PolicyFixture}: the decision made and every way it differs from
 * what the fixture expects (empty when it passed).
 *
 * @param fixture the fixture
 * @param decision the decision the policy made
 * @param differences one readable line per difference, e.g. {@code effect: expected deny, got
 *     permit}
 */
public record FixtureResult(PolicyFixture fixture, Decision decision, List<String> differences) {

  public FixtureResult {
    Objects.requireNonNull(fixture, "fixture");
    Objects.requireNonNull(decision, "decision");
    differences = List.copyOf(differences);
  }

  /** True when the decision is what the fixture expects. */
  public boolean passed() {
    return differences.isEmpty();
  }
}
