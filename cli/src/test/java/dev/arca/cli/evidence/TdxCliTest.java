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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca evidence verify --format tdx} on the real v4 quote and collateral (evidence module).
 */
class TdxCliTest {
  private static final Path VECTORS =
      Path.of("..", "evidence", "src", "test", "resources", "vectors", "tdx");
  private static final Path QUOTE = VECTORS.resolve("tdx_prod_quote_SPR_E4.dat");
  private static final String AT = "2023-07-01T00:00:00Z";

  /** The collateral files the real quote verifies with. */
  static final List<String> COLLATERAL =
      List.of(
          "sample_tcbInfo_response",
          "tcbinfo_issuer_chain.pem",
          "sample_qeIdentity_response",
          "qeidentity_issuer_chain.pem",
          "pckcrl",
          "pckcrl_issuer_chain.pem",
          "rootcrl.der");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private Path collateral() throws Exception {
    Path c = Files.createDirectories(dir.resolve("collateral"));
    for (String n : COLLATERAL) {
      Files.copy(VECTORS.resolve(n), c.resolve(n));
    }
    return c;
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  private List<String> ids() throws Exception {
    return json().get("errors").findValuesAsText("id");
  }

  @Test
  void realQuoteVerifiesAtItsDocumentedTime() throws Exception {
    int code =
        run(
            "evidence",
            "verify",
            "--format",
            "tdx",
            "--evidence",
            QUOTE.toString(),
            "--collateral",
            collateral().toString(),
            "--at",
            AT);
    assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(json().at("/claims/raw/fmspc").asText()).isEqualTo("50806f000000");
    assertThat(json().at("/claims/debug").asBoolean()).isFalse();
    assertThat(json().at("/claims/tcb/qeTcbStatus").asText()).isEqualTo("UpToDate");
    assertThat(json().at("/claims/measurements/mrtd").asText()).hasSize(96);
  }

  @Test
  void negativeCasesFailWithTheirIds() throws Exception {
    Path c = collateral();
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "tdx",
                "--evidence",
                QUOTE.toString(),
                "--collateral",
                c.toString(),
                "--at",
                "2026-01-01T00:00:00Z"))
        .isEqualTo(ExitCode.FAILED);
    assertThat(ids()).contains("tdx.tcb-info.expired", "tdx.qe-identity.expired");

    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "tdx",
                "--evidence",
                QUOTE.toString(),
                "--collateral",
                c.toString(),
                "--at",
                AT,
                "--report-data",
                "00"))
        .isEqualTo(ExitCode.FAILED);
    assertThat(ids()).containsExactly("tdx.report-data.mismatch");

    byte[] bad = Files.readAllBytes(QUOTE);
    bad[640] ^= 1; // quote signature
    Path badQuote = Files.write(dir.resolve("bad.dat"), bad);
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "tdx",
                "--evidence",
                badQuote.toString(),
                "--collateral",
                c.toString(),
                "--at",
                AT))
        .isEqualTo(ExitCode.FAILED);
    assertThat(ids()).containsExactly("tdx.signature.invalid");

    Files.delete(c.resolve("pckcrl"));
    assertThat(
            run(
                "evidence",
                "verify",
                "--format",
                "tdx",
                "--evidence",
                QUOTE.toString(),
                "--collateral",
                c.toString(),
                "--at",
                AT))
        .isEqualTo(ExitCode.FAILED);
    assertThat(ids()).containsExactly("tdx.collateral.missing");
  }
}
