// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca evidence verify --format android-key} on the shared Android vectors (kept once, in
 * the evidence module's test resources; see their README).
 */
class AndroidKeyCliTest {
  private static final Path VECTORS =
      Path.of("..", "evidence", "src", "test", "resources", "vectors", "android");
  private static final String TEE = VECTORS.resolve("algorithm_EC_SecurityLevel_TEE").toString();
  private static final String STRONGBOX =
      VECTORS.resolve("algorithm_EC_SecurityLevel_StrongBox").toString();
  private static final String VECTOR_TIME = "2020-01-01T00:00:00Z";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void teeVectorVerifiesAtItsTime() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "android-key",
            "--evidence",
            TEE,
            "--nonce",
            "616263",
            "--at",
            VECTOR_TIME);
    assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
    JsonNode json = json();
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.at("/claims/hardwareRooted").asBoolean()).isTrue();
    assertThat(json.at("/claims/securityLevel").asText()).isEqualTo("tee");
    assertThat(json.get("errors")).isEmpty();
  }

  @Test
  void strongBoxVectorIsRejectedForItsRoot() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "android-key",
            "--evidence",
            STRONGBOX,
            "--nonce",
            "616263",
            "--at",
            VECTOR_TIME);
    assertThat(code).isEqualTo(ExitCode.FAILED);
    JsonNode json = json();
    assertThat(json.get("verified").asBoolean()).isFalse();
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("android.chain.untrusted-root");
  }

  @Test
  void wrongNonceIsRejected() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "android-key",
            "--evidence",
            TEE,
            "--nonce",
            "616264",
            "--at",
            VECTOR_TIME);
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("android.challenge.mismatch");
  }

  @Test
  void expiredAtALaterTime() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "android-key",
            "--evidence",
            TEE,
            "--at",
            "2026-11-25T00:00:00Z");
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("android.chain.expired");
  }

  @Test
  void revokedByACollateralStatusList() throws Exception {
    // Test-made status list (not Google's) naming the TEE vector's certificate 1 (intermediate).
    Path collateral = Files.createDirectories(dir.resolve("collateral"));
    Files.writeString(
        collateral.resolve("status.json"),
        "{\"entries\":{\"13206311789638820911\":{\"status\":\"REVOKED\","
            + "\"reason\":\"KEY_COMPROMISE\"}}}",
        StandardCharsets.UTF_8);
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "android-key",
            "--evidence",
            TEE,
            "--at",
            VECTOR_TIME,
            "--collateral",
            collateral.toString());
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("android.chain.revoked");
  }

  @Test
  void anEmptyFolderIsAnIoError() {
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "android-key",
                "--evidence",
                dir.toString(),
                "--at",
                VECTOR_TIME))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("cert0.pem");
  }
}
