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

/** {@code arca evidence verify --format cca} on the TF-RMM token with the platform key. */
class CcaCliTest {
  @TempDir Path dir;
  private final CliRun cli = new CliRun();

  @Test
  void verifiesTheTfRmmTokenWithThePlatformKey() throws Exception {
    Path token = NitroCliTest.vector(dir, "cca/cca_token.cbor");
    Path key = NitroCliTest.vector(dir, "cca/cca_platform.pub");
    JsonNode json =
        cli.verifyEvidence(
            ExitCode.OK,
            "cca",
            token,
            "--trust-anchors",
            key.toString(),
            "--nonce",
            "ab".repeat(64));
    assertThat(json.at("/claims/measurements/rim").asText()).isEqualTo("00".repeat(32));
    assertThat(json.at("/claims/raw/platformProfile").asText())
        .isEqualTo("http://arm.com/CCA-SSD/1.0.0");
  }

  @Test
  void wrongNonceWrongKeyAndFlippedRealmSignatureExitOne() throws Exception {
    Path token = NitroCliTest.vector(dir, "cca/cca_token.cbor");
    Path key = NitroCliTest.vector(dir, "cca/cca_platform.pub");
    JsonNode json =
        cli.verifyEvidence(
            ExitCode.FAILED,
            "cca",
            token,
            "--trust-anchors",
            key.toString(),
            "--nonce",
            "ac".repeat(64));
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("cca.nonce.mismatch");

    Path psaKey = NitroCliTest.vector(dir, "psa/public.pem");
    json = cli.verifyEvidence(ExitCode.FAILED, "cca", token, "--trust-anchors", psaKey.toString());
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("cca.platform.signature.invalid");

    byte[] bytes = Files.readAllBytes(token);
    bytes[bytes.length - 1] ^= 1;
    Path bad = Files.write(dir.resolve("bad.cbor"), bytes);
    json = cli.verifyEvidence(ExitCode.FAILED, "cca", bad, "--trust-anchors", key.toString());
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("cca.realm.signature.invalid");
  }
}
