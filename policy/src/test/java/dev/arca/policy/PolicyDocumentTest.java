// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a loaded policy keeps of its document besides the rules: the formats it lets go without
 * reference values (a fail-open switch, so it must be exactly what the document says), where it
 * came from, and the size limit of a policy file.
 */
class PolicyDocumentTest {
  static final String RULES =
      TestInputs.rule("a", "permit", "true")
          + TestInputs.rule("b", "forbid", "model.id == 'x'")
          + TestInputs.rule("c", "forbid", "data.class == 'pci'")
          + "    description: no card data\n";

  @Test
  void theFormatsAllowedWithoutReferenceValuesAreExactlyThoseNamed() throws Exception {
    String yaml =
        TestInputs.policy(RULES)
            .replace("rules:\n", "appraisal:\n  withoutReferenceValues: [tdx, sev-snp]\nrules:\n");
    Policy p = PolicyLoader.parse(yaml, "p.yaml");
    assertThat(p.withoutReferenceValues()).containsExactlyInAnyOrder("sev-snp", "tdx");
    assertThat(PolicyLoader.parse(TestInputs.policy(RULES), "p.yaml").withoutReferenceValues())
        .isEmpty();
  }

  @Test
  void aPolicyNamesItsSourceAndCountsItsAlwaysEvaluatedRules() throws Exception {
    Policy p = PolicyLoader.parse(TestInputs.policy(RULES), "policies/p.yaml");
    assertThat(p.source()).isEqualTo("policies/p.yaml");
    assertThat(p.alwaysEvaluatedRules()).isEqualTo(1);
    assertThat(p.toString()).isEqualTo("policy test-policy v7 (3 rules, policies/p.yaml)");
    assertThat(p.rules().get(2).description()).contains("no card data");
    assertThat(p.rules().get(0).description()).isEmpty();
    assertThat(p.rules().get(0).toString()).startsWith("permit a (p");
    assertThat(p.rules().get(1).toString()).startsWith("forbid b (p");
  }

  @Test
  void aPolicyFileMayBeExactlyAsLargeAsTheLimit(@TempDir Path dir) throws Exception {
    Path atLimit = dir.resolve("at.yaml");
    Files.write(
        atLimit, "#".repeat((int) PolicyLoader.MAX_FILE_BYTES).getBytes(StandardCharsets.UTF_8));
    assertThat(PolicyLoader.readUtf8(atLimit, PolicyProblem.YAML))
        .hasSize((int) PolicyLoader.MAX_FILE_BYTES);
    Path beyond = dir.resolve("beyond.yaml");
    Files.write(
        beyond, "#".repeat((int) PolicyLoader.MAX_FILE_BYTES + 1).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> PolicyLoader.readUtf8(beyond, PolicyProblem.YAML))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("the limit is");
  }
}
