// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca evidence verify --format sev-snp} on the real Milan vector (evidence module). */
class SevSnpCliTest {
  private static final Path VECTORS =
      Path.of("..", "evidence", "src", "test", "resources", "vectors", "sev-snp");
  private static final String AT = "2024-01-01T00:00:00Z";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private Path collateral() throws Exception {
    Path c = Files.createDirectories(dir.resolve("collateral"));
    Files.copy(VECTORS.resolve("vcek_milan.der"), c.resolve("vcek_milan.der"));
    return c;
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void realReportVerifiesAtItsDocumentedTime() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "sev-snp",
            "--evidence",
            VECTORS.resolve("attestation.bin").toString(),
            "--collateral",
            collateral().toString(),
            "--nonce",
            "0102030405",
            "--at",
            AT);
    assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(json().at("/claims/debug").asBoolean()).isTrue();
    assertThat(json().at("/claims/raw/product").asText()).isEqualTo("Milan");
    assertThat(json().at("/claims/reportData").asText()).startsWith("0102030405000000");
  }

  @Test
  void wrongReportDataExpiredVcekAndMissingVcekFailWithTheirIds() throws Exception {
    Path report = VECTORS.resolve("attestation.bin");
    Path collateral = collateral();
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "sev-snp",
                "--evidence",
                report.toString(),
                "--collateral",
                collateral.toString(),
                "--report-data",
                "01",
                "--at",
                AT))
        .isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("sevsnp.report-data.mismatch");

    out.getBuffer().setLength(0);
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "sev-snp",
                "--evidence",
                report.toString(),
                "--collateral",
                collateral.toString(),
                "--at",
                "2030-01-01T00:00:00Z"))
        .isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("sevsnp.vcek.chain.expired");

    out.getBuffer().setLength(0);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "sev-snp",
                "--evidence",
                report.toString(),
                "--collateral",
                empty.toString(),
                "--at",
                AT))
        .isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("sevsnp.vcek.missing");
  }

  @Test
  void flippedSignatureAndUnknownRootFailWithTheirIds() throws Exception {
    byte[] bad = Files.readAllBytes(VECTORS.resolve("attestation.bin"));
    bad[0x2A0] ^= 1;
    Path badReport = Files.write(dir.resolve("bad.bin"), bad);
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "sev-snp",
                "--evidence",
                badReport.toString(),
                "--collateral",
                collateral().toString(),
                "--at",
                AT))
        .isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("sevsnp.signature.invalid");

    out.getBuffer().setLength(0);
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "sev-snp",
                "--evidence",
                VECTORS.resolve("attestation.bin").toString(),
                "--collateral",
                dir.resolve("collateral").toString(),
                "--trust-anchors",
                VECTORS.resolve("ask_ark_genoa.pem").toString(),
                "--replace-pinned-roots",
                "--at",
                AT))
        .isEqualTo(ExitCode.FAILED);
    assertThat(json().at("/errors/0/id").asText()).isEqualTo("sevsnp.vcek.chain.untrusted-root");
  }
}
