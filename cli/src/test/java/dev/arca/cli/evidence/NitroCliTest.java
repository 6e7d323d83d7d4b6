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

/** {@code arca evidence verify --format nitro} on the real AWS document. */
class NitroCliTest {
  static final String AT = "2024-09-07T14:37:39.545Z";
  @TempDir Path dir;
  private final CliRun cli = new CliRun();

  static Path vector(Path dir, String name) throws Exception {
    try (var in = NitroCliTest.class.getResourceAsStream("/vectors/" + name)) {
      Path p = dir.resolve(name.replace('/', '_'));
      Files.write(p, in.readAllBytes());
      return p;
    }
  }

  @Test
  void verifiesTheRealDocumentAtItsTime() throws Exception {
    Path doc = vector(dir, "nitro/nitro_attestation.cbor");
    JsonNode json =
        cli.verifyEvidence(ExitCode.OK, "nitro", doc, "--at", AT, "--nonce", "01".repeat(1024));
    assertThat(json.get("verified").asBoolean()).isTrue();
    assertThat(json.at("/claims/deviceIdentity").asText())
        .isEqualTo("i-0a22e5c5f24d22174-enc0191cceb4289903f");
    assertThat(json.at("/claims/measurements/PCR0").asText()).startsWith("e72a46ca");
    assertThat(json.at("/claims/debug").asBoolean()).isFalse();
  }

  @Test
  void expiredAtTheRealTimeExitsOne() throws Exception {
    Path doc = vector(dir, "nitro/nitro_attestation.cbor");
    JsonNode json =
        cli.verifyEvidence(ExitCode.FAILED, "nitro", doc, "--at", "2026-01-01T00:00:00Z");
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("nitro.chain.expired");
  }

  @Test
  void wrongNonceExitsOne() throws Exception {
    Path doc = vector(dir, "nitro/nitro_attestation.cbor");
    JsonNode json = cli.verifyEvidence(ExitCode.FAILED, "nitro", doc, "--at", AT, "--nonce", "02");
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("nitro.nonce.mismatch");
  }

  @Test
  void flippedSignatureAndTruncatedDocumentExitOne() throws Exception {
    Path doc = vector(dir, "nitro/nitro_attestation.cbor");
    byte[] bytes = Files.readAllBytes(doc);
    byte[] flipped = bytes.clone();
    flipped[flipped.length - 1] ^= 1;
    Path bad = Files.write(dir.resolve("flipped.cbor"), flipped);
    JsonNode json = cli.verifyEvidence(ExitCode.FAILED, "nitro", bad, "--at", AT);
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("nitro.signature.invalid");
    Path cut =
        Files.write(dir.resolve("cut.cbor"), java.util.Arrays.copyOf(bytes, bytes.length - 98));
    json = cli.verifyEvidence(ExitCode.FAILED, "nitro", cut, "--at", AT);
    assertThat(json.at("/errors/0/id").asText()).isEqualTo("nitro.cbor.truncated");
  }
}
