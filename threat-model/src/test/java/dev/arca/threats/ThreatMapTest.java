// SPDX-License-Identifier: Apache-2.0
package dev.arca.threats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build's check of {@code threats.yaml}: every threat has a mitigation that exists in the code
 * and a test that exists, and — when the module's tests ran in this build — ran and passed.
 */
class ThreatMapTest {
  private static final Set<String> STRIDE =
      Set.of(
          "spoofing",
          "tampering",
          "repudiation",
          "information-disclosure",
          "denial-of-service",
          "elevation-of-privilege");
  private static final Set<String> FLOWS =
      Set.of(
          "publish",
          "enrol",
          "boot-attest",
          "key-release",
          "infer",
          "update",
          "offline",
          "audit",
          "admin");

  private final Path root =
      Path.of(System.getProperty("arca.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void everyThreatIsWellFormedMitigatedAndTested() throws IOException {
    assertThat(problems(root.resolve("threat-model/threats.yaml")))
        .as("problems in threat-model/threats.yaml")
        .isEmpty();
  }

  @Test
  void theDocumentAndTheMapNameTheSameThreats() throws IOException {
    Set<String> inMap = new java.util.TreeSet<>();
    new ObjectMapper(new YAMLFactory())
        .readTree(root.resolve("threat-model/threats.yaml").toFile())
        .get("threats")
        .forEach(t -> inMap.add(t.path("id").asText()));
    Set<String> inDoc = new java.util.TreeSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("T-[A-Z]+-\\d+")
            .matcher(Files.readString(root.resolve("threat-model/THREATS.md")));
    while (m.find()) {
      inDoc.add(m.group());
    }
    assertThat(inDoc).as("ids in THREATS.md that threats.yaml lacks").isSubsetOf(inMap);
    assertThat(inMap).as("threats.yaml ids that THREATS.md never discusses").isSubsetOf(inDoc);
  }

  @Test
  void theCheckCatchesMissingTestsMitigationsAndFields(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path yaml = dir.resolve("threats.yaml");
    Files.writeString(
        yaml,
        """
        threats:
          - id: T-X-1
            title: made up
            stride: spoofing
            flow: infer
            asset: a
            attacker: b
            status: mitigated
            mitigations: [dev.arca.NoSuchClass]
            tests: [dev.arca.threats.ThreatMapTest#noSuchMethod]
          - id: T-X-1
            stride: guessing
            flow: infer
            status: accepted
        """);
    assertThat(problems(yaml))
        .contains(
            "threat T-X-1: mitigation class dev.arca.NoSuchClass does not exist",
            "threat T-X-1: test method dev.arca.threats.ThreatMapTest#noSuchMethod does not exist",
            "threat T-X-1: id must be unique and look like T-ATTEST-1",
            "threat T-X-1: missing title",
            "threat T-X-1: an accepted threat needs a reason",
            "threat T-X-1: no mitigation",
            "threat T-X-1: no test");
  }

  private List<String> problems(Path yaml) throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    JsonNode threats = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile()).get("threats");
    if (threats == null || !threats.isArray()) {
      return List.of(yaml + " has no 'threats' list");
    }
    for (JsonNode t : threats) {
      String id = t.path("id").asText("");
      String where = "threat " + (id.isEmpty() ? "(no id)" : id);
      if (!id.matches("T-[A-Z]+-\\d+") || !ids.add(id)) {
        problems.add(where + ": id must be unique and look like T-ATTEST-1");
      }
      for (String field : List.of("title", "asset", "attacker")) {
        if (t.path(field).asText("").isBlank()) {
          problems.add(where + ": missing " + field);
        }
      }
      if (!STRIDE.contains(t.path("stride").asText())) {
        problems.add(where + ": stride must be one of " + STRIDE);
      }
      if (!FLOWS.contains(t.path("flow").asText())) {
        problems.add(where + ": flow must be one of " + FLOWS);
      }
      String status = t.path("status").asText();
      if (!status.equals("mitigated") && !status.equals("accepted")) {
        problems.add(where + ": status must be mitigated or accepted");
      }
      if (status.equals("accepted") && t.path("reason").asText("").isBlank()) {
        problems.add(where + ": an accepted threat needs a reason");
      }
      if (!t.path("mitigations").isArray() || t.path("mitigations").isEmpty()) {
        problems.add(where + ": no mitigation");
      }
      for (JsonNode m : t.path("mitigations")) {
        checkMitigation(m.asText(), where, problems);
      }
      if (!t.path("tests").isArray() || t.path("tests").isEmpty()) {
        problems.add(where + ": no test");
      }
      for (JsonNode test : t.path("tests")) {
        checkTest(test.asText(), where, problems);
      }
    }
    return problems;
  }

  /** A mitigation names a class ({@code dev.arca.X}) or a file path in the repository. */
  private void checkMitigation(String ref, String where, List<String> problems) throws IOException {
    String target = ref.split("[#\\s]", 2)[0];
    if (target.startsWith("dev.arca.")) {
      if (findSource(target, "main").isEmpty()) {
        problems.add(where + ": mitigation class " + target + " does not exist");
      }
    } else if (!Files.exists(root.resolve(target))) {
      problems.add(where + ": mitigation file " + target + " does not exist");
    }
  }

  /** A test is {@code fully.qualified.Class#method}: it must exist, and pass if it ran. */
  private void checkTest(String ref, String where, List<String> problems) throws IOException {
    String[] parts = ref.split("#", 2);
    if (parts.length != 2) {
      problems.add(where + ": test '" + ref + "' must be Class#method");
      return;
    }
    Optional<Path> source = findSource(parts[0], "test");
    if (source.isEmpty()) {
      problems.add(where + ": test class " + parts[0] + " does not exist");
      return;
    }
    Pattern method = Pattern.compile("\\bvoid\\s+" + Pattern.quote(parts[1]) + "\\s*\\(");
    if (!method.matcher(Files.readString(source.get())).find()) {
      problems.add(where + ": test method " + ref + " does not exist");
      return;
    }
    Path module = source.get();
    while (!module.getFileName().toString().equals("src")) {
      module = module.getParent();
    }
    Path report = module.getParent().resolve("target/surefire-reports/TEST-" + parts[0] + ".xml");
    if (Files.exists(report)) {
      String xml = Files.readString(report);
      Pattern testcase =
          Pattern.compile(
              "<testcase name=\""
                  + Pattern.quote(parts[1])
                  + "[^\"]*\"[^>]*?(/>|>(.*?)</testcase>)",
              Pattern.DOTALL);
      var m = testcase.matcher(xml);
      if (!m.find()) {
        problems.add(where + ": test " + ref + " did not run in this build");
      } else if (m.group(2) != null && m.group(2).matches("(?s).*<(failure|error|skipped).*")) {
        problems.add(where + ": test " + ref + " did not pass");
      }
    }
  }

  private Optional<Path> findSource(String className, String sourceSet) throws IOException {
    String rel = "src/" + sourceSet + "/java/" + className.replace('.', '/') + ".java";
    try (Stream<Path> modules = Files.list(root)) {
      return modules.map(m -> m.resolve(rel)).filter(Files::exists).findFirst();
    }
  }
}
