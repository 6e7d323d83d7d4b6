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

/** {@code arca evidence verify --format tpm2} on the GCP Shielded VM vector, as a folder. */
class Tpm2CliTest {
  private static final Path GCP = Path.of("src/test/resources/vectors/tpm");
  private static final String AT = "2026-01-01T00:00:00Z";
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void gcpQuoteFolderVerifies() throws Exception {
    int code =
        run("evidence", "verify", "--format", "tpm2", "--evidence", GCP.toString(), "--at", AT);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.at("/claims/measurements/pcr.sha1.0").asText())
        .isEqualTo("51c323de0c0c694f4601cdd02beb58ff13629f74");
    assertThat(json.at("/claims/raw/eventLog/secureBoot").asBoolean()).isTrue();
    assertThat(json.get("errors")).isEmpty();
  }

  @Test
  void wrongNonceExitsOneWithItsId() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "tpm2",
            "--evidence",
            GCP.toString(),
            "--at",
            AT,
            "--nonce",
            "00112233");
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("tpm2.quote.nonce-mismatch");
  }

  @Test
  void tamperedPcrFileExitsOneWithItsId() throws Exception {
    Path copy = Files.createDirectory(dir.resolve("tpm"));
    try (var files = Files.list(GCP)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path pcrs = copy.resolve("pcrs_sha1.txt");
    Files.writeString(
        pcrs,
        Files.readString(pcrs)
            .replace(
                "23 0000000000000000000000000000000000000000",
                "23 0000000000000000000000000000000000000001"));
    int code =
        run("evidence", "verify", "--format", "tpm2", "--evidence", copy.toString(), "--at", AT);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("tpm2.pcrs.digest-mismatch");
  }

  @Test
  void aBundleFileVerifiesLikeTheFolder() throws Exception {
    byte[] bundle = new dev.arca.evidence.tpm2.Tpm2Verifier().readEvidence(GCP);
    Path file = Files.write(dir.resolve("quote.tpm2.json"), bundle);
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "tpm2",
                "--evidence",
                file.toString(),
                "--at",
                AT))
        .isEqualTo(ExitCode.OK);
  }

  @Test
  void aFolderWithoutTheQuoteIsAUsageError() throws Exception {
    assertThat(run("evidence", "verify", "--format", "tpm2", "--evidence", dir.toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("quote_tpms_attest.bin");
  }
}
