package dev.arca.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.cli.Arca;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca evidence verify --format psa} on the TF-M token with its key. */
class PsaCliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private JsonNode run(int expectedExit, String... args) throws Exception {
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expectedExit);
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void verifiesTheTfmTokenWithItsKey() throws Exception {
    Path token = NitroCliTest.vector(dir, "psa/psa-2_0_0_sign1.bin");
    Path key = NitroCliTest.vector(dir, "psa/public.pem");
    JsonNode json =
        run(
            Arca.OK,
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            token.toString(),
            "--trust-anchors",
            key.toString(),
            "--nonce",
            "00".repeat(64));
    assertThat(json.at("/claims/raw/profile").asText()).isEqualTo("http://arm.com/psa/2.0.0");
    assertThat(json.at("/claims/measurements/SPE").asText()).startsWith("96a2ec56");
  }

  @Test
  void wrongNonceUnknownKeyAndFlippedSignatureExitOne() throws Exception {
    Path token = NitroCliTest.vector(dir, "psa/psa-2_0_0_sign1.bin");
    Path key = NitroCliTest.vector(dir, "psa/public.pem");
    JsonNode json =
        run(
            Arca.FAILED,
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            token.toString(),
            "--trust-anchors",
            key.toString(),
            "--nonce",
            "01".repeat(64));
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("psa.nonce.mismatch");

    Path otherKey = NitroCliTest.vector(dir, "cca/cca_platform.pub");
    out.getBuffer().setLength(0);
    json =
        run(
            Arca.FAILED,
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            token.toString(),
            "--trust-anchors",
            otherKey.toString());
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("psa.key.unknown");

    byte[] bytes = Files.readAllBytes(token);
    bytes[bytes.length - 1] ^= 1;
    Path bad = Files.write(dir.resolve("bad.bin"), bytes);
    out.getBuffer().setLength(0);
    json =
        run(
            Arca.FAILED,
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            bad.toString(),
            "--trust-anchors",
            key.toString());
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("psa.signature.invalid");
  }
}
