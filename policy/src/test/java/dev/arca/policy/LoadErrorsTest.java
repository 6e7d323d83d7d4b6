// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static dev.arca.policy.TestInputs.policy;
import static dev.arca.policy.TestInputs.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of load-time problem is refused with its id, file, line and column. */
class LoadErrorsTest {

  static List<PolicyProblem> problems(String yaml) {
    try {
      PolicyLoader.parse(yaml, "p.yaml");
    } catch (PolicyLoadException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).startsWith(e.problems().get(0).toString());
      return e.problems();
    }
    throw new AssertionError("expected the policy to be refused:\n" + yaml);
  }

  static PolicyProblem only(String yaml) {
    List<PolicyProblem> p = problems(yaml);
    assertThat(p).as(p.toString()).hasSize(1);
    return p.get(0);
  }

  static void assertAt(PolicyProblem p, String id, int line, int column) {
    assertThat(p.id()).as(p.toString()).isEqualTo(id);
    assertThat(p.location()).as(p.toString()).isEqualTo(new SourceLocation("p.yaml", line, column));
  }

  // ---- YAML ----

  @Test
  void yamlSyntaxError() {
    PolicyProblem p = only("apiVersion: arca.dev/v1alpha1\nkind: [Policy\nmetadata: {}\n");
    assertThat(p.id()).isEqualTo(PolicyProblem.YAML);
    assertThat(p.location().file()).isEqualTo("p.yaml");
    assertThat(p.location().line()).isEqualTo(3);
    assertThat(p.toString()).startsWith("p.yaml:3:");
  }

  @Test
  void yamlBadIndentation() {
    PolicyProblem p = only("apiVersion: x\n kind: Policy\n");
    assertAt(p, PolicyProblem.YAML, 2, 6);
    assertThat(p.message()).contains("mapping values are not allowed here");
  }

  @Test
  void yamlDuplicateKey() {
    String yaml =
        policy(rule("a", "permit", "true"))
            .replace("kind: Policy\n", "kind: Policy\nkind: Policy\n");
    PolicyProblem p = only(yaml);
    assertAt(p, PolicyProblem.YAML, 3, 1);
    assertThat(p.message()).contains("duplicate key 'kind'");
  }

  @Test
  void yamlAliasesAreRefused() {
    String yaml = policy("  - &r\n    name: a\n    effect: permit\n    when: 'true'\n", "  - *r\n");
    PolicyProblem p = only(yaml);
    assertThat(p.id()).isEqualTo(PolicyProblem.YAML);
    assertThat(p.message()).contains("aliases");
    assertAt(p, PolicyProblem.YAML, 11, 5);
  }

  @Test
  void yamlCustomTagsAreRefused() {
    PolicyProblem p =
        only(policy(rule("a", "permit", "true")).replace("version: 7", "version: !!binary AAAA"));
    assertAt(p, PolicyProblem.YAML, 5, 12);
    assertThat(p.message()).contains("not allowed");
  }

  @Test
  void yamlSecondDocumentIsRefused() {
    PolicyProblem p = only(policy(rule("a", "permit", "true")) + "---\nkind: Policy\n");
    assertThat(p.id()).isEqualTo(PolicyProblem.YAML);
    assertThat(p.message()).contains("only one YAML document");
  }

  @Test
  void emptyDocument() {
    assertThat(only("# nothing\n").message()).contains("empty");
  }

  // ---- schema ----

  @Test
  void schemaMissingRequiredField() {
    String yaml = policy("  - name: a\n    effect: permit\n");
    PolicyProblem p = only(yaml);
    assertAt(p, PolicyProblem.SCHEMA, 7, 5);
    assertThat(p.message()).isEqualTo("rules.0: missing required field 'when'");
  }

  @Test
  void schemaUnknownFieldIsLocatedAtItsKey() {
    String yaml = policy(rule("a", "permit", "true") + "    whenn: 'x'\n");
    PolicyProblem p = only(yaml);
    assertAt(p, PolicyProblem.SCHEMA, 10, 5);
    assertThat(p.message()).contains("unknown field 'whenn'");
  }

  @Test
  void schemaWrongEffect() {
    PolicyProblem p = only(policy(rule("a", "allow", "true")));
    assertAt(p, PolicyProblem.SCHEMA, 8, 13);
    assertThat(p.message()).startsWith("rules.0.effect: ");
  }

  @Test
  void schemaBadDuration() {
    PolicyProblem p = only(policy(TestInputs.permit("a", "true", "{leaseLength: 3 days}")));
    assertAt(p, PolicyProblem.SCHEMA, 10, 32);
    assertThat(p.message()).startsWith("rules.0.obligations.leaseLength: ");
  }

  @Test
  void schemaWrongApiVersionAndMissingVersion() {
    String yaml =
        "apiVersion: arca.dev/v2\nkind: Policy\nmetadata:\n  name: x\nrules:\n"
            + rule("a", "permit", "true");
    List<PolicyProblem> ps = problems(yaml);
    assertThat(ps).extracting(PolicyProblem::id).containsOnly(PolicyProblem.SCHEMA);
    assertThat(ps).anySatisfy(p -> assertAt(p, PolicyProblem.SCHEMA, 1, 13));
    assertThat(ps)
        .anySatisfy(
            p -> {
              assertAt(p, PolicyProblem.SCHEMA, 4, 3);
              assertThat(p.message()).contains("missing required field 'version'");
            });
  }

  @Test
  void schemaEmptyRules() {
    assertThat(only(policy("").replace("rules:\n", "rules: []\n")).id())
        .isEqualTo(PolicyProblem.SCHEMA);
  }

  // ---- CEL syntax ----

  @Test
  void celSyntaxErrorInAPlainScalar() {
    // line 9 is "    when: device.id ==" ; the error is at the end of the expression.
    String yaml = policy("  - name: a\n    effect: permit\n    when: device.id ==\n");
    PolicyProblem p = only(yaml);
    assertAt(p, PolicyProblem.CEL_SYNTAX, 9, 23);
    assertThat(p.message()).startsWith("rule 'a': ");
  }

  @Test
  void celSyntaxErrorInADoubleQuotedScalar() {
    PolicyProblem p = only(policy(rule("a", "permit", "device.id == )")));
    // when: "device.id == )" -> the ')' is column 11 + 1 (quote) + 13 = 25
    assertAt(p, PolicyProblem.CEL_SYNTAX, 9, 25);
  }

  @Test
  void celSyntaxErrorInALiteralBlock() {
    String yaml =
        policy(
            """
              - name: a
                effect: permit
                when: |
                  device.id == 'x'
                    && model.id = 'y'
            """);
    PolicyProblem p = problems(yaml).get(0);
    // Second line of the block (file line 11), '=' at column 21.
    assertAt(p, PolicyProblem.CEL_SYNTAX, 11, 21);
  }

  // ---- CEL types ----

  @Test
  void celUnknownVariable() {
    PolicyProblem p = only(policy(rule("a", "permit", "devices.id == 'x'")));
    assertAt(p, PolicyProblem.CEL_TYPE, 9, 12);
    assertThat(p.message()).contains("undeclared reference to 'devices'");
  }

  @Test
  void celUnknownField() {
    PolicyProblem p = only(policy(rule("a", "permit", "evidence.hardwareRoot")));
    assertAt(p, PolicyProblem.CEL_TYPE, 9, 20);
    assertThat(p.message()).contains("undefined field 'hardwareRoot'");
  }

  @Test
  void celUnknownNestedField() {
    PolicyProblem p = only(policy(rule("a", "permit", "device.enrolment.when > time")));
    assertThat(p.id()).isEqualTo(PolicyProblem.CEL_TYPE);
    assertThat(p.message()).contains("undefined field 'when'");
  }

  @Test
  void celWrongOperandType() {
    PolicyProblem p = only(policy(rule("a", "permit", "model.version == '3'")));
    assertAt(p, PolicyProblem.CEL_TYPE, 9, 26);
    assertThat(p.message()).contains("no matching overload");
  }

  @Test
  void celResultMustBeBool() {
    PolicyProblem p = only(policy(rule("a", "permit", "device.id")));
    assertThat(p.id()).isEqualTo(PolicyProblem.CEL_TYPE);
    assertThat(p.message()).contains("expected type 'bool'");
  }

  @Test
  void celErrorsInSeveralRulesAreAllReported() {
    List<PolicyProblem> ps =
        problems(
            policy(
                rule("a", "permit", "nope"),
                rule("b", "forbid", "device.id == 1"),
                rule("c", "permit", "(")));
    assertThat(ps)
        .extracting(PolicyProblem::id)
        .containsExactly(PolicyProblem.CEL_TYPE, PolicyProblem.CEL_TYPE, PolicyProblem.CEL_SYNTAX);
    assertThat(ps).extracting(p -> p.location().line()).containsExactly(9, 12, 15);
  }

  @Test
  void celUnknownEnumeratedValue() {
    PolicyProblem p = only(policy(rule("a", "forbid", "evidence.earStatus != 'afirming'")));
    assertAt(p, PolicyProblem.UNKNOWN_VALUE, 9, 34);
    assertThat(p.message())
        .contains("evidence.earStatus is never 'afirming'")
        .contains("affirming, contraindicated, none, warning");
    PolicyProblem q =
        only(policy(rule("a", "forbid", "evidence.tcbStatus in ['up-to-date', 'uptodate']")));
    assertThat(q.id()).isEqualTo(PolicyProblem.UNKNOWN_VALUE);
    assertThat(q.message()).contains("'uptodate'");
  }

  // ---- rules ----

  @Test
  void duplicateRuleNames() {
    PolicyProblem p = only(policy(rule("a", "permit", "true"), rule("a", "forbid", "false")));
    assertAt(p, PolicyProblem.DUPLICATE_RULE, 10, 11);
    assertThat(p.message()).contains("already used at p.yaml:7:5");
  }

  @Test
  void obligationsOnAForbidRule() {
    String yaml = policy(rule("a", "forbid", "true") + "    obligations: {leaseLength: 1h}\n");
    PolicyProblem p = only(yaml);
    assertAt(p, PolicyProblem.FORBID_OBLIGATIONS, 10, 5);
  }

  // ---- files ----

  @Test
  void unreadableFile(@TempDir Path dir) {
    assertThatThrownBy(() -> PolicyLoader.load(dir.resolve("missing.yaml")))
        .isInstanceOfSatisfying(
            PolicyLoadException.class,
            e -> {
              assertThat(e.problems())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.id()).isEqualTo(PolicyProblem.IO);
                        assertThat(p.location().file()).endsWith("missing.yaml");
                      });
            });
  }

  @Test
  void notUtf8(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> PolicyLoader.load(f))
        .isInstanceOfSatisfying(
            PolicyLoadException.class,
            e -> assertThat(e.problems().get(0).message()).contains("UTF-8"));
  }

  @Test
  void fileProblemsNameTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, policy(rule("a", "permit", "nope")));
    assertThatThrownBy(() -> PolicyLoader.load(f))
        .isInstanceOfSatisfying(
            PolicyLoadException.class,
            e -> assertThat(e.problems().get(0).location().file()).isEqualTo(f.toString()));
  }

  @Test
  void aValidPolicyLoadsWithItsMetadata() throws Exception {
    Policy p = TestInputs.load(rule("a", "permit", "true"));
    assertThat(p.name()).isEqualTo("test-policy");
    assertThat(p.version()).isEqualTo(7);
    assertThat(p.apiVersion()).isEqualTo(PolicyLoader.API_VERSION);
    assertThat(p.sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(
                            TestInputs.policy(rule("a", "permit", "true"))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertThat(p.rules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("a");
              assertThat(r.effect()).isEqualTo(Effect.PERMIT);
              assertThat(r.location()).isEqualTo(new SourceLocation("test.yaml", 7, 5));
              assertThat(r.condition()).isEqualTo("true");
            });
  }
}
