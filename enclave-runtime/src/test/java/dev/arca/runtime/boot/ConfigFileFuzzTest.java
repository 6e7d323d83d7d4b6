// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Fuzzes the runtime's configuration file parser: only {@link ConfigFileException} may escape, and
 * whatever it accepts holds only known keys with non-empty values. Seed: a valid file.
 */
class ConfigFileFuzzTest {
  private static final Set<String> KEYS = Set.of("service", "model", "insecure", "state");

  @FuzzTest(maxDuration = "10s")
  void parse(byte[] input) {
    try {
      ConfigFile f =
          ConfigFile.parse(new String(input, StandardCharsets.UTF_8), "fuzz.properties", KEYS);
      assertThat(KEYS).containsAll(f.keys());
      for (String k : f.keys()) {
        assertThat(f.value(k)).isNotBlank();
      }
    } catch (ConfigFileException e) {
      assertThat(e.id()).startsWith("config.");
    }
  }
}
