// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import dev.arca.evidence.dev.DevAttester;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceVerifyCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private Path devEvidence() throws Exception {
    byte[] ev =
        DevAttester.generate()
            .attest(new byte[] {0x0a, 0x0b}, Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
    return Files.write(dir.resolve("ev.json"), ev);
  }

  @Test
  void verifiedEvidenceExitsZeroWithClaims() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "dev",
            "--evidence",
            devEvidence().toString(),
            "--report-data",
            "0a0b");
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.at("/claims/hardwareRooted").asBoolean()).isFalse();
    assertThat(json.get("errors")).isEmpty();
  }

  @Test
  void wrongReportDataExitsOneWithTheFailureId() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "dev",
            "--evidence",
            devEvidence().toString(),
            "--report-data",
            "ffff");
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(json.get("verified").asBoolean()).isFalse();
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("dev.report-data.mismatch");
    assertThat(json.at("/errors/0/kind").asText()).isEqualTo("binding");
    assertThat(err.toString()).doesNotContain("no binding was checked");
  }

  @Test
  void withoutNonceOrReportDataItVerifiesButWarnsThatNoBindingWasChecked() throws Exception {
    int code = run("evidence", "verify", "--format", "dev", "--evidence", devEvidence().toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.at("/claims/reportData").asText()).isNotEmpty();
    assertThat(err.toString().strip())
        .isEqualTo(EvidenceVerifyCommand.UNBOUND_WARNING)
        .contains("no binding was checked")
        .doesNotContain("\n");
  }

  @Test
  void aNonceAndReportDataTogetherAreAUsageError() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "dev",
            "--evidence",
            devEvidence().toString(),
            "--nonce",
            "0a0b",
            "--report-data",
            "0a0b");
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("either --nonce or --report-data, not both");
  }

  @Test
  void unknownFormatAndMissingFileAreUsageErrors() throws Exception {
    assertThat(run("evidence", "verify", "--format", "sgx", "--evidence", devEvidence().toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("unknown evidence format 'sgx'");
    assertThat(run("evidence", "verify", "--format", "dev", "--evidence", "/no/such/file"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "dev",
                "--evidence",
                devEvidence().toString(),
                "--nonce",
                "xyz"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("--nonce must be hex");
  }
}
