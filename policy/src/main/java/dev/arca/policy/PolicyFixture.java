// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One test case of {@code arca policy test}: a decision input and the decision expected for it.
 * Loaded from YAML by {@link FixtureLoader}; the format is described by {@code fixture.schema.json}
 * and the module README.
 *
 * @param name readable name (the file name when the fixture gives none)
 * @param source the file it came from
 * @param input the decision input
 * @param expectedVerdict the expected verdict
 * @param expectedMatched if present, the exact set of rules expected to count as matched
 * @param expectedObligations if present, the exact obligations expected
 */
public record PolicyFixture(
    String name,
    String source,
    DecisionInput input,
    Verdict expectedVerdict,
    Optional<List<String>> expectedMatched,
    Optional<Obligations> expectedObligations) {

  public PolicyFixture {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(expectedVerdict, "expectedVerdict");
    expectedMatched = expectedMatched.map(List::copyOf);
    Objects.requireNonNull(expectedObligations, "expectedObligations");
  }
}
