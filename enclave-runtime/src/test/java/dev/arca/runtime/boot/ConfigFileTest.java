// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
  private static final Set<String> KEYS = Set.of("service", "model", "insecure");

  @Test
  void valuesAndListsAreRead() throws Exception {
    ConfigFile f =
        ConfigFile.parse("service = http://h:1\nmodel = a:synthetic, b:phi ,\n# note\n", "t", KEYS);
    assertThat(f.keys()).containsExactly("model", "service");
    assertThat(f.value("service")).isEqualTo("http://h:1");
    assertThat(f.list("model")).containsExactly("a:synthetic", "b:phi");
  }

  @Test
  void unknownKeysEmptyValuesAndBadEscapesAreRefusedWithIds() {
    assertThatThrownBy(() -> ConfigFile.parse("insecur = true\n", "t", KEYS))
        .isInstanceOfSatisfying(
            ConfigFileException.class, e -> assertThat(e.id()).isEqualTo("config.unknown-key"));
    assertThatThrownBy(() -> ConfigFile.parse("service =   \n", "t", KEYS))
        .isInstanceOfSatisfying(
            ConfigFileException.class, e -> assertThat(e.id()).isEqualTo("config.empty-value"));
    assertThatThrownBy(() -> ConfigFile.parse("service = \\u12\n", "t", KEYS))
        .isInstanceOfSatisfying(
            ConfigFileException.class, e -> assertThat(e.id()).isEqualTo("config.malformed"));
  }
}
