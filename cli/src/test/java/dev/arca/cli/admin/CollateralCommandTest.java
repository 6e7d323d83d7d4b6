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
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca collateral import|list} with the real AMD and Intel collateral files of the shared
 * vectors, over real HTTP against a small stand-in for the service's collateral API (docs/api.md:
 * roles, 201 new / 200 already present, problem+json refusals) that records what it is sent. The
 * service's own endpoint is tested with the same files in attestation-service ({@code
 * CollateralResourceTest}).
 */
class CollateralCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path VECTORS =
      Path.of("..", "evidence", "src", "test", "resources", "vectors");

  private record Upload(String authorization, String format, String name, byte[] content) {}

  private final List<Upload> uploads = new CopyOnWriteArrayList<>();
  private final Map<String, ObjectNode> stored = new LinkedHashMap<>();
  private final CliRun cli = new CliRun();
  private HttpServer server;
  private String url;
  @TempDir Path dir;
  private Path collateral;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/collateral", this::serve);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
    TokenStore tokens = new TokenStore(dir.resolve("config"));
    tokens.save("ops", token("token-of-the-device-admin", "device-admin"));
    tokens.save("auditor", token("token-of-the-auditor", "auditor"));
    System.setProperty("arca.config.dir", dir.resolve("config").toString());
    // The vector folders as a download would leave them: collateral beside evidence and READMEs.
    collateral = dir.resolve("collateral");
    for (String format : List.of("sev-snp", "tdx")) {
      Path to = Files.createDirectories(collateral.resolve(format));
      try (var files = Files.list(VECTORS.resolve(format))) {
        for (Path f : files.toList()) {
          Files.copy(f, to.resolve(f.getFileName().toString()));
        }
      }
    }
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

  /**
   * POST needs device-admin, GET also auditor; content "garbage..." is refused as the service does.
   */
  private synchronized void serve(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    boolean admin = "Bearer token-of-the-device-admin".equals(auth);
    boolean auditor = "Bearer token-of-the-auditor".equals(auth);
    if (ex.getRequestMethod().equals("GET")) {
      if (!admin && !auditor) {
        answer(ex, 403, problem("forbidden", "this endpoint needs another role"));
        return;
      }
      ArrayNode all = JSON.createArrayNode();
      stored.values().forEach(all::add);
      answer(ex, 200, all);
      return;
    }
    JsonNode body = JSON.readTree(ex.getRequestBody());
    byte[] content = Base64.getDecoder().decode(body.path("content").asText());
    uploads.add(
        new Upload(auth, body.path("format").asText(), body.path("name").asText(), content));
    if (!admin) {
      answer(ex, 403, problem("forbidden", "this endpoint needs another role"));
      return;
    }
    if (new String(content, StandardCharsets.ISO_8859_1).startsWith("garbage")) {
      answer(
          ex,
          400,
          problem(
              "collateral-invalid",
              "'" + body.path("name").asText() + "' is not a readable vcek: no certificate"));
      return;
    }
    String sha256;
    try {
      sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    // Per role and content, as the service files them (the two Intel issuer chains are one chain).
    String role = body.path("name").asText() + "/" + sha256;
    ObjectNode item = stored.get(role);
    boolean present = item != null;
    if (!present) {
      item = JSON.createObjectNode();
      item.put("id", stored.size() + 1);
      item.put("format", body.path("format").asText());
      item.put("kind", body.path("name").asText().startsWith("vcek") ? "vcek" : "other");
      item.put("key", sha256.substring(0, 12));
      item.put("sha256", sha256);
      item.put("notAfter", "2029-09-24T00:55:28Z");
      item.put("expired", false);
      item.put("superseded", false);
      stored.put(role, item);
    }
    ObjectNode answer = item.deepCopy();
    answer.put("alreadyPresent", present);
    answer(ex, present ? 200 : 201, answer);
  }

  private String[] as(String profile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--service", url, "--as", profile));
    return all.toArray(String[]::new);
  }

  @Test
  void importUploadsTheCollateralFilesOfAFolderAndSkipsTheRest() throws Exception {
    int code = cli.execute(as("ops", "collateral", "import", collateral.toString()));
    assertThat(code).as(cli.err()).isEqualTo(ExitCode.OK);
    assertThat(uploads)
        .extracting(u -> u.format() + " " + u.name())
        .containsExactlyInAnyOrder(
            "sev-snp ask_ark_genoa.pem",
            "sev-snp ask_ark_milan.pem",
            "sev-snp ask_ark_turin_vcek.pem",
            "sev-snp vcek_milan.der",
            "tdx pckcrl",
            "tdx pckcrl_issuer_chain.pem",
            "tdx qeidentity_issuer_chain.pem",
            "tdx rootcrl.der",
            "tdx sample_qeIdentity_response",
            "tdx sample_tcbInfo_response",
            "tdx tcbinfo_issuer_chain.pem");
    Upload vcek =
        uploads.stream().filter(u -> u.name().equals("vcek_milan.der")).findFirst().orElseThrow();
    assertThat(vcek.content())
        .isEqualTo(Files.readAllBytes(VECTORS.resolve("sev-snp/vcek_milan.der")));
    assertThat(vcek.authorization()).isEqualTo("Bearer token-of-the-device-admin");
    assertThat(cli.out().lines())
        .contains(
            "skipped sev-snp/attestation.bin: not a collateral file name",
            "skipped tdx/trusted_root.pem: not a collateral file name",
            "skipped tdx/tdx_prod_quote_SPR_E4.dat: not a collateral file name")
        .anyMatch(l -> l.startsWith("imported sev-snp/vcek_milan.der: sev-snp vcek "))
        .filteredOn(l -> l.startsWith("imported "))
        .hasSize(11);

    // Again: nothing new, every file already present.
    assertThat(cli.execute(as("ops", "collateral", "import", collateral.toString())))
        .isEqualTo(ExitCode.OK);
    assertThat(cli.out().lines().filter(l -> l.startsWith("already present "))).hasSize(11);
    assertThat(stored).hasSize(11);
  }

  @Test
  void theSecurityTeamsTcbBaselinesAreImportedAsSevSnpCollateral() throws Exception {
    Path team = Files.createDirectories(dir.resolve("baselines"));
    String milan =
        "{\"product\":\"Milan\",\"minimumTcb\":{\"bootloader\":2,\"tee\":0,\"snp\":5,"
            + "\"microcode\":68},\"issueDate\":\"2026-01-01T00:00:00Z\","
            + "\"nextUpdate\":\"2026-07-01T00:00:00Z\"}";
    Files.writeString(team.resolve("snp_tcb_baseline.json"), milan);
    Files.writeString(team.resolve("snp_tcb_baseline_genoa.json"), milan.replace("Milan", "Genoa"));
    Files.writeString(team.resolve("tcb_baseline_notes.json"), "{}");
    assertThat(cli.execute(as("ops", "collateral", "import", team.toString())))
        .as(cli.err())
        .isEqualTo(ExitCode.OK);
    assertThat(uploads)
        .extracting(u -> u.format() + " " + u.name())
        .containsExactlyInAnyOrder(
            "sev-snp snp_tcb_baseline.json", "sev-snp snp_tcb_baseline_genoa.json");
    assertThat(cli.out().lines())
        .contains("skipped tcb_baseline_notes.json: not a collateral file name");
  }

  @Test
  void aRefusedFileIsNamedWithItsReasonAndFailsTheImport() throws Exception {
    Path only = Files.createDirectories(dir.resolve("amd"));
    Files.copy(VECTORS.resolve("sev-snp/vcek_milan.der"), only.resolve("vcek_milan.der"));
    Files.writeString(only.resolve("vcek.pem"), "garbage, not a certificate");
    JsonNode results =
        cli.json(ExitCode.FAILED, as("ops", "collateral", "import", only.toString(), "--json"));
    assertThat(results).hasSize(2);
    assertThat(results.get(0).path("file").asText()).isEqualTo("vcek.pem");
    assertThat(results.get(0).path("result").asText()).isEqualTo("refused");
    assertThat(results.get(0).path("problem").asText()).isEqualTo("collateral-invalid");
    assertThat(results.get(1).path("result").asText()).isEqualTo("imported");

    assertThat(cli.execute(as("ops", "collateral", "import", only.toString())))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.out().lines())
        .containsExactly(
            "refused vcek.pem: POST /v1/collateral: HTTP 400 collateral-invalid: 'vcek.pem' is not"
                + " a readable vcek: no certificate",
            "already present vcek_milan.der: sev-snp vcek "
                + stored.values().iterator().next().path("key").asText()
                + " (not after 2029-09-24T00:55:28Z)");
  }

  @Test
  void anAuditorCannotImportButLists() throws Exception {
    assertThat(cli.execute(as("auditor", "collateral", "import", collateral.toString())))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err().strip())
        .startsWith("arca: POST /v1/collateral: HTTP 403 forbidden")
        .doesNotContain("\n");
    assertThat(uploads).hasSize(1); // stopped at the first refusal of the role

    assertThat(
            cli.execute(
                as("ops", "collateral", "import", collateral.resolve("sev-snp").toString())))
        .isEqualTo(ExitCode.OK);
    assertThat(cli.execute(as("auditor", "collateral", "list")))
        .as(cli.err())
        .isEqualTo(ExitCode.OK);
    List<String> lines = cli.out().lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("ID", "FORMAT", "KIND", "NOT", "AFTER", "STATE", "KEY");
    assertThat(lines).hasSize(5);
    assertThat(lines.get(4)).contains("sev-snp", "vcek", "current");
    assertThat(cli.json(ExitCode.OK, as("auditor", "collateral", "list", "--json"))).hasSize(4);
  }

  @Test
  void aMissingFolderIsAUsageError() {
    assertThat(
            cli.execute(
                "collateral", "import", dir.resolve("nothing").toString(), "--service", url))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).startsWith("arca: ").contains("is not a folder");
    assertThat(uploads).isEmpty();
  }
}
