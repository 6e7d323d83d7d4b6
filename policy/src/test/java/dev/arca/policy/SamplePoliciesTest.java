// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample policy in {@code policy/samples} loads and passes its own fixtures. */
class SamplePoliciesTest {

  static final Path SAMPLES = Path.of("samples");

  static Stream<Path> samples() throws Exception {
    try (Stream<Path> s = Files.list(SAMPLES)) {
      List<Path> l = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(l).isNotEmpty();
      return l.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void samplePassesItsFixtures(Path policyFile) throws Exception {
    Policy policy = PolicyLoader.load(policyFile);
    Path fixtures =
        SAMPLES.resolve(policyFile.getFileName().toString().replace(".yaml", "-fixtures"));
    PolicyTestReport report = PolicyTester.run(policy, FixtureLoader.loadDirectory(fixtures));
    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.results()).hasSizeGreaterThanOrEqualTo(4);
  }
}
