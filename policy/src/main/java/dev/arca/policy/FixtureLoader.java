// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads {@link PolicyFixture}s from YAML files, checked against {@code fixture.schema.json}, with
 * every problem located like policy problems (ids {@link #YAML}, {@link #SCHEMA}, {@link #INPUT}).
 */
public final class FixtureLoader {

  /** A fixture file is not well-formed YAML. */
  public static final String YAML = "policy.fixture.yaml";

  /** A fixture file does not match the fixture schema. */
  public static final String SCHEMA = "policy.fixture.schema";

  /** A fixture's input holds a value the decision input cannot take (e.g. a bad time). */
  public static final String INPUT = "policy.fixture.input";

  private FixtureLoader() {}

  /**
   * Loads every {@code *.yaml} and {@code *.yml} file of a directory (not recursive), in file-name
   * order.
   *
   * @throws PolicyLoadException if the directory cannot be read, holds no fixture, or any fixture
   *     has problems (all problems of all files are reported)
   */
  public static List<PolicyFixture> loadDirectory(Path dir) throws PolicyLoadException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new PolicyLoadException(
          List.of(
              new PolicyProblem(
                  PolicyProblem.IO,
                  new SourceLocation(dir.toString(), 1, 1),
                  "cannot list fixtures: " + e)));
    }
    if (files.isEmpty()) {
      throw new PolicyLoadException(
          List.of(
              new PolicyProblem(
                  PolicyProblem.IO,
                  new SourceLocation(dir.toString(), 1, 1),
                  "no fixture files (*.yaml, *.yml) in this directory")));
    }
    List<PolicyFixture> out = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(load(f));
      } catch (PolicyLoadException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyLoadException(problems);
    }
    return out;
  }

  /**
   * Loads one fixture file.
   *
   * @throws PolicyLoadException with located problems
   */
  public static PolicyFixture load(Path file) throws PolicyLoadException {
    String fileName = file.getFileName().toString();
    String defaultName = fileName.replaceFirst("\\.ya?ml$", "");
    return parse(PolicyLoader.readUtf8(file, PolicyProblem.IO), file.toString(), defaultName);
  }

  /**
   * Parses one fixture from text.
   *
   * @throws PolicyLoadException with located problems
   */
  public static PolicyFixture parse(String yaml, String sourceName, String defaultName)
      throws PolicyLoadException {
    PositionedYaml doc = PositionedYaml.parse(yaml, sourceName, YAML);
    List<PolicyProblem> schemaProblems = DocumentSchema.FIXTURE.check(doc, SCHEMA);
    if (!schemaProblems.isEmpty()) {
      throw new PolicyLoadException(schemaProblems);
    }
    JsonNode root = doc.root();
    JsonNode in = root.get("input");
    List<PolicyProblem> problems = new ArrayList<>();
    DecisionInput input = null;
    try {
      input = input(in, doc, problems);
    } catch (RuntimeException e) {
      problems.add(new PolicyProblem(INPUT, doc.locate("/input"), e.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new PolicyLoadException(problems);
    }
    JsonNode expect = root.get("expect");
    Verdict verdict =
        Verdict.valueOf(expect.get("effect").asText().toUpperCase(java.util.Locale.ROOT));
    Optional<List<String>> matched = Optional.empty();
    if (expect.has("matched")) {
      List<String> names = new ArrayList<>();
      expect.get("matched").forEach(n -> names.add(n.asText()));
      matched = Optional.of(names);
    }
    Optional<Obligations> obligations = Optional.empty();
    if (expect.has("obligations")) {
      JsonNode o = expect.get("obligations");
      Obligations.Builder b = Obligations.builder();
      if (o.has("leaseLength")) {
        b.leaseLength(PolicyDurations.parse(o.get("leaseLength").asText()));
      }
      if (o.has("offlineAllowance")) {
        b.offlineAllowance(PolicyDurations.parse(o.get("offlineAllowance").asText()));
      }
      if (o.has("maxRequestsPerMinute")) {
        b.maxRequestsPerMinute(o.get("maxRequestsPerMinute").asInt());
      }
      if (o.has("reattestationInterval")) {
        b.reattestationInterval(PolicyDurations.parse(o.get("reattestationInterval").asText()));
      }
      obligations = Optional.of(b.build());
    }
    String name = root.has("name") ? root.get("name").asText() : defaultName;
    return new PolicyFixture(name, sourceName, input, verdict, matched, obligations);
  }

  private static DecisionInput input(
      JsonNode in, PositionedYaml doc, List<PolicyProblem> problems) {
    JsonNode d = in.get("device");
    JsonNode enrol = d.get("enrolment");
    DeviceFacts device =
        DeviceFacts.builder()
            .id(d.get("id").asText())
            .deviceClass(text(d, "class"))
            .site(text(d, "site"))
            .owner(text(d, "owner"))
            .attributes(stringMap(d.get("attributes")))
            .enrolmentMethod(enrol.get("method").asText())
            .enrolledAt(
                instant(
                    enrol.get("enrolledAt"), "/input/device/enrolment/enrolledAt", doc, problems))
            .revoked(d.get("revoked").asBoolean())
            .build();
    JsonNode e = in.get("evidence");
    Map<String, Integer> trust = new LinkedHashMap<>();
    if (e.has("trustVector")) {
      e.get("trustVector").properties().forEach(f -> trust.put(f.getKey(), f.getValue().asInt()));
    }
    EvidenceFacts evidence =
        EvidenceFacts.builder()
            .format(e.get("format").asText())
            .hardwareRooted(e.get("hardwareRooted").asBoolean())
            .debug(e.get("debug").asBoolean())
            .tcbStatus(TcbStatus.fromCelValue(e.get("tcbStatus").asText()))
            .earStatus(EarStatus.fromCelValue(e.get("earStatus").asText()))
            .measurements(stringMap(e.get("measurements")))
            .trustVector(trust)
            .claims(e.has("claims") ? objectMap(e.get("claims")) : Map.of())
            .build();
    JsonNode m = in.get("model");
    List<String> classes = new ArrayList<>();
    if (m.has("dataClasses")) {
      m.get("dataClasses").forEach(n -> classes.add(n.asText()));
    }
    ModelFacts model =
        ModelFacts.builder()
            .id(m.get("id").asText())
            .version(m.get("version").asLong())
            .labels(stringMap(m.get("labels")))
            .dataClasses(classes)
            .publisher(text(m, "publisher"))
            .build();
    Instant time = instant(in.get("time"), "/input/time", doc, problems);
    if (!problems.isEmpty()) {
      return null;
    }
    return DecisionInput.builder()
        .device(device)
        .evidence(evidence)
        .model(model)
        .dataClass(in.get("data").get("class").asText())
        .purpose(in.has("request") ? text(in.get("request"), "purpose") : "")
        .time(time)
        .build();
  }

  private static Instant instant(
      JsonNode n, String pointer, PositionedYaml doc, List<PolicyProblem> problems) {
    try {
      return Instant.parse(n.asText());
    } catch (java.time.format.DateTimeParseException ex) {
      problems.add(
          new PolicyProblem(
              INPUT, doc.locate(pointer), "'" + n.asText() + "' is not a valid RFC 3339 UTC time"));
      return Instant.EPOCH;
    }
  }

  private static String text(JsonNode n, String field) {
    return n.has(field) ? n.get(field).asText() : "";
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null) {
      n.properties().forEach(f -> out.put(f.getKey(), f.getValue().asText()));
    }
    return out;
  }

  private static Map<String, Object> objectMap(JsonNode n) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : n.properties()) {
      Object v = value(f.getValue());
      if (v != null) {
        out.put(f.getKey(), v);
      }
    }
    return out;
  }

  private static Object value(JsonNode n) {
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(
          x -> {
            Object v = value(x);
            if (v != null) {
              l.add(v);
            }
          });
      return l;
    }
    if (n.isObject()) {
      return objectMap(n);
    }
    return null;
  }
}
