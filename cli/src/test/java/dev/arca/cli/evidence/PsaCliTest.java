// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.CliRun;
import dev.arca.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arca evidence verify --format psa} on the TF-M token with its key. */
class PsaCliTest {
  @TempDir Path dir;
  private final CliRun cli = new CliRun();

  @Test
  void verifiesTheTfmTokenWithItsKey() throws Exception {
    Path token = NitroCliTest.vector(dir, "psa/psa-2_0_0_sign1.bin");
    Path key = NitroCliTest.vector(dir, "psa/public.pem");
    JsonNode json =
        cli.verifyEvidence(
            ExitCode.OK,
            "psa",
            token,
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
        cli.verifyEvidence(
            ExitCode.FAILED,
            "psa",
            token,
            "--trust-anchors",
            key.toString(),
            "--nonce",
            "01".repeat(64));
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("psa.nonce.mismatch");

    Path otherKey = NitroCliTest.vector(dir, "cca/cca_platform.pub");
    json =
        cli.verifyEvidence(ExitCode.FAILED, "psa", token, "--trust-anchors", otherKey.toString());
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("psa.key.unknown");

    byte[] bytes = Files.readAllBytes(token);
    bytes[bytes.length - 1] ^= 1;
    Path bad = Files.write(dir.resolve("bad.bin"), bytes);
    json = cli.verifyEvidence(ExitCode.FAILED, "psa", bad, "--trust-anchors", key.toString());
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("psa.signature.invalid");
  }
}
