// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the fixture loader of {@code arca policy test} (YAML, fixture schema, input conversion):
 * only {@link PolicyLoadException} may escape. Seeds: fixtures of the sample policies.
 */
class FixtureLoaderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      PolicyFixture f = FixtureLoader.parse(text, "fuzz.yaml", "fuzz");
      assertThat(f.input()).isNotNull();
      assertThat(f.name()).isNotNull();
    } catch (PolicyLoadException e) {
      assertThat(e.problems()).isNotEmpty();
    }
  }
}
