// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import static dev.arca.cli.admin.StandInAnswers.answer;
import static dev.arca.cli.admin.StandInAnswers.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arca.cli.CliRun;
import dev.arca.cli.ExitCode;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca reference-values add|list|show} over real HTTP against a small stand-in for the
 * service's reference-values API (docs/api.md: roles, versioning, problem+json answers), which
 * records every request so the bodies the CLI sends are checked as sent. The service's own endpoint
 * is tested in attestation-service ({@code AdminSecurityTest}, the device flow tests) and with this
 * CLI end to end in e2e {@code AdminCommandsTest}.
 */
class ReferenceValuesCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PCR7 = "a".repeat(64);
  private static final String PCR7_OTHER = "B".repeat(64);
  private static final String PCR4 = "0123456789abcdef".repeat(4);

  private record Request(
      String method, String path, String authorization, String type, String body) {}

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, List<ObjectNode>> sets = new TreeMap<>();
  private final CliRun cli = new CliRun();
  private HttpServer server;
  private String url;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/reference-values", this::serve);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
    TokenStore tokens = new TokenStore(dir.resolve("config"));
    tokens.save("ops", token("token-of-the-policy-admin", "policy-admin"));
    tokens.save("auditor", token("token-of-the-auditor", "auditor"));
    System.setProperty("arca.config.dir", dir.resolve("config").toString());
  }

  @AfterEach
  void stop() {
    System.clearProperty("arca.config.dir");
    server.stop(0);
  }

  private static StoredToken token(String value, String role) {
    return new StoredToken(
        "http://kc/realms/arca", value, Instant.now().plusSeconds(600), role, List.of(role));
  }

  /** The API as docs/api.md states it; POST needs policy-admin, GET also auditor. */
  private synchronized void serve(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String path = ex.getRequestURI().getPath();
    requests.add(
        new Request(
            ex.getRequestMethod(),
            path,
            auth,
            ex.getRequestHeaders().getFirst("Content-Type"),
            body));
    // "" (the list), "/<name>" or "/<name>/versions"
    String[] parts = path.substring("/v1/reference-values".length()).split("/", -1);
    boolean admin = "Bearer token-of-the-policy-admin".equals(auth);
    boolean auditor = "Bearer token-of-the-auditor".equals(auth);
    if (ex.getRequestMethod().equals("POST") && parts.length == 2) {
      if (!admin) {
        answer(ex, 403, problem("forbidden", "this endpoint needs another role"));
        return;
      }
      ObjectNode stored = (ObjectNode) JSON.readTree(body);
      List<ObjectNode> versions = sets.computeIfAbsent(parts[1], k -> new ArrayList<>());
      stored.put("name", parts[1]);
      stored.put("version", versions.size() + 1);
      stored.put("createdAt", "2026-12-06T10:00:0" + versions.size() + "Z");
      stored.put("createdBy", "arca-automation");
      versions.add(0, stored);
      answer(ex, 201, stored);
    } else if (!admin && !auditor) {
      answer(ex, 403, problem("forbidden", "this endpoint needs another role"));
    } else if (parts.length == 1) {
      ArrayNode all = JSON.createArrayNode();
      sets.values().forEach(v -> all.add(v.get(0)));
      answer(ex, 200, all);
    } else if (parts.length == 3 && parts[2].equals("versions") && sets.containsKey(parts[1])) {
      answer(ex, 200, JSON.valueToTree(sets.get(parts[1])));
    } else {
      answer(ex, 404, problem("not-found", "no reference values '" + parts[1] + "'"));
    }
  }

  private String[] as(String profile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--service", url, "--as", profile));
    return all.toArray(String[]::new);
  }

  @Test
  void addSendsTheBodyTheApiDescribesAndPrintsTheStoredVersion() throws Exception {
    int code =
        cli.execute(
            as(
                "ops",
                "reference-values",
                "add",
                "workstation-boot",
                "--format",
                "tpm2",
                "--subject",
                "class:workstation",
                "--measurement",
                "pcr.sha256.7=" + PCR7 + "," + PCR7_OTHER,
                "--measurement",
                "pcr.sha256.4=" + PCR4));
    assertThat(code).as(cli.err()).isEqualTo(ExitCode.OK);
    assertThat(cli.out().strip())
        .isEqualTo("added workstation-boot v1 (tpm2, class:workstation, 2 register(s))");

    assertThat(requests).hasSize(1);
    Request sent = requests.get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/reference-values/workstation-boot");
    assertThat(sent.authorization()).isEqualTo("Bearer token-of-the-policy-admin");
    assertThat(sent.type()).isEqualTo("application/json");
    assertThat(JSON.readTree(sent.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"format\":\"tpm2\",\"subject\":\"class:workstation\",\"measurements\":{"
                    + "\"pcr.sha256.7\":[\""
                    + PCR7
                    + "\",\""
                    + PCR7_OTHER
                    + "\"],\"pcr.sha256.4\":[\""
                    + PCR4
                    + "\"]}}"));

    JsonNode again =
        cli.json(
            ExitCode.OK,
            as(
                "ops",
                "reference-values",
                "add",
                "workstation-boot",
                "--format",
                "tpm2",
                "--subject",
                "class:workstation",
                "--measurement",
                "pcr.sha256.7=" + PCR7,
                "--json"));
    assertThat(again.path("version").asInt()).isEqualTo(2);
    assertThat(again.path("measurements").path("pcr.sha256.7").get(0).asText()).isEqualTo(PCR7);
  }

  @Test
  void addReadsTheSetFromAYamlOrJsonFile() throws Exception {
    Path yaml = dir.resolve("set.yaml");
    Files.writeString(
        yaml,
        "format: nitro\nsubject: model:conv2d\nmeasurements:\n  PCR0: ['"
            + PCR4
            + "']\n  PCR1: ['"
            + PCR7
            + "']\n");
    assertThat(
            cli.execute(as("ops", "reference-values", "add", "enclave", "--file", yaml.toString())))
        .as(cli.err())
        .isEqualTo(ExitCode.OK);
    Path json = dir.resolve("set.json");
    Files.writeString(json, "{\"measurements\":{\"PCR0\":[\"" + PCR4 + "\"]}}");
    assertThat(
            cli.execute(
                as(
                    "ops",
                    "reference-values",
                    "add",
                    "enclave",
                    "--file",
                    json.toString(),
                    "--format",
                    "nitro",
                    "--subject",
                    "device:enclave-1")))
        .as(cli.err())
        .isEqualTo(ExitCode.OK);
    assertThat(JSON.readTree(requests.get(0).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"format\":\"nitro\",\"subject\":\"model:conv2d\",\"measurements\":{\"PCR0\":[\""
                    + PCR4
                    + "\"],\"PCR1\":[\""
                    + PCR7
                    + "\"]}}"));
    assertThat(JSON.readTree(requests.get(1).body()).path("subject").asText())
        .isEqualTo("device:enclave-1");
  }

  @Test
  void listShowsTheNewestVersionOfEachSetAndShowEveryVersion() throws Exception {
    add("workstation-boot", "class:workstation", "pcr.sha256.7=" + PCR7);
    add(
        "workstation-boot",
        "class:workstation",
        "pcr.sha256.7=" + PCR7_OTHER,
        "pcr.sha256.4=" + PCR4);
    add("lab-pc", "device:ws-lab-01", "pcr.sha256.0=" + PCR4);

    assertThat(cli.execute(as("auditor", "reference-values", "list"))).isEqualTo(ExitCode.OK);
    List<String> lines = cli.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("VERSION").endsWith("REGISTERS");
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly("lab-pc", "v1", "tpm2", "device:ws-lab-01", "pcr.sha256.0");
    assertThat(lines.get(2).split("\\s+"))
        .containsExactly(
            "workstation-boot", "v2", "tpm2", "class:workstation", "pcr.sha256.7,pcr.sha256.4");
    JsonNode list = cli.json(ExitCode.OK, as("auditor", "reference-values", "list", "--json"));
    assertThat(list).hasSize(2);

    assertThat(cli.execute(as("auditor", "reference-values", "show", "workstation-boot")))
        .as(cli.err())
        .isEqualTo(ExitCode.OK);
    assertThat(cli.out())
        .containsSubsequence(
            "workstation-boot v2  tpm2  class:workstation  added 2026-12-06T10:00:01Z by"
                + " arca-automation",
            "  pcr.sha256.7: " + PCR7_OTHER,
            "  pcr.sha256.4: " + PCR4,
            "workstation-boot v1",
            "  pcr.sha256.7: " + PCR7);
    JsonNode versions =
        cli.json(
            ExitCode.OK, as("auditor", "reference-values", "show", "workstation-boot", "--json"));
    assertThat(versions).hasSize(2);
    assertThat(versions.get(1).path("version").asInt()).isEqualTo(1);
    assertThat(requests.get(requests.size() - 1).path())
        .isEqualTo("/v1/reference-values/workstation-boot/versions");

    assertThat(cli.execute(as("auditor", "reference-values", "show", "nothing-here")))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err().strip())
        .startsWith("arca: GET /v1/reference-values/nothing-here/versions: HTTP 404 not-found:")
        .contains("no reference values 'nothing-here'");
  }

  private void add(String name, String subject, String... measurements) {
    List<String> args =
        new ArrayList<>(
            List.of("reference-values", "add", name, "--format", "tpm2", "--subject", subject));
    for (String m : measurements) {
      args.addAll(List.of("--measurement", m));
    }
    assertThat(cli.execute(as("ops", args.toArray(String[]::new)))).as(cli.err()).isZero();
  }

  @Test
  void anAuditorAddingIsRefusedWithTheProblemOnOneLine() {
    int code =
        cli.execute(
            as(
                "auditor",
                "reference-values",
                "add",
                "workstation-boot",
                "--format",
                "tpm2",
                "--subject",
                "class:workstation",
                "--measurement",
                "pcr.sha256.7=" + PCR7));
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err().strip())
        .isEqualTo(
            "arca: POST /v1/reference-values/workstation-boot: HTTP 403 forbidden: this endpoint"
                + " needs another role (your account lacks the role this needs; log in as a user"
                + " who has it)");
    assertThat(sets).isEmpty();
  }

  @Test
  void badHexOrSubjectIsRefusedLocallyBeforeAnyRequest() throws Exception {
    String[][] bad = {
      {"--subject", "class:workstation", "--measurement", "pcr.sha256.7=not-hex"},
      {"--subject", "class:workstation", "--measurement", "pcr.sha256.7=" + PCR7 + ",zz"},
      {"--subject", "workstation", "--measurement", "pcr.sha256.7=" + PCR7},
      {"--subject", "host:ws-1", "--measurement", "pcr.sha256.7=" + PCR7},
      {"--subject", "class:workstation", "--measurement", "pcr.sha256.7"},
      {"--subject", "class:workstation"},
    };
    String[] why = {
      "'not-hex' is not hex",
      "'zz' is not hex",
      "--subject 'workstation': must be class:<device class>, device:<id> or model:<id>",
      "--subject 'host:ws-1': must be",
      "expected <register>=<hex>",
      "give either --measurement (repeatable) or --file",
    };
    for (int i = 0; i < bad.length; i++) {
      List<String> args =
          new ArrayList<>(List.of("reference-values", "add", "boot", "--format", "tpm2"));
      args.addAll(List.of(bad[i]));
      // No --as: the arguments are refused before a token is looked for.
      args.addAll(List.of("--service", url));
      assertThat(cli.execute(args.toArray(String[]::new)))
          .as(String.join(" ", bad[i]))
          .isEqualTo(ExitCode.USAGE);
      assertThat(cli.err()).startsWith("arca: ").contains(why[i]);
      assertThat(cli.err().lines()).hasSize(1);
    }
    assertThat(cli.execute("reference-values", "add", "bad name!", "--format", "tpm2"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("set name 'bad name!'");

    Path yaml = dir.resolve("unquoted.yaml");
    Files.writeString(
        yaml, "format: tpm2\nsubject: class:ws\nmeasurements:\n  pcr.sha256.0: [1234]\n");
    assertThat(cli.execute("reference-values", "add", "boot", "--file", yaml.toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("'1234' must be a string (quote hex values in YAML)");
    assertThat(requests).isEmpty();
  }
}
