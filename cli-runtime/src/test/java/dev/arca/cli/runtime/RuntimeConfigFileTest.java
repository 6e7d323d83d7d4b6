// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.cli.CliRun;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.runtime.attester.DevRuntimeAttester;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca runtime --config}: every flag can come from the file, flags win. The runtime is run
 * in-process against a service address nothing listens on, so each run ends at its first network
 * step and the error shows which values it used.
 */
class RuntimeConfigFileTest {
  @TempDir Path dir;
  private final CliRun cli = new CliRun();

  private Path config(String... lines) throws Exception {
    Path publishers = dir.resolve("publishers.json");
    Files.writeString(
        publishers,
        PublisherKeyRing.of(
                PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "p1").publicKey())
            .toJson());
    String base =
        "publishers = "
            + publishers
            + "\nstate = "
            + dir.resolve("state")
            + "\nmodel = conv2d:synthetic, squeezenet:synthetic\n"
            // this test JVM has the attach mechanism enabled; the file must be able to allow it
            + "insecure = true\nlisten = 127.0.0.1:0\n";
    return Files.writeString(dir.resolve("runtime.properties"), base + String.join("\n", lines));
  }

  @Test
  void everyFlagCanComeFromTheFile() throws Exception {
    Path file = config("service = http://127.0.0.1:9");
    assertThat(cli.execute("runtime", "--check", "--config", file.toString())).isEqualTo(1);
    assertThat(cli.out()).contains("harden: INSECURE");
    assertThat(cli.err()).contains("cannot reach the service at http://127.0.0.1:9");
    assertThat(dir.resolve("state").resolve("dev-attester.key")).exists();
    // The operator is told exactly how to enrol this device: its id and the key to pin.
    var dev = DevRuntimeAttester.open(dir.resolve("state"), java.time.Clock.systemUTC());
    assertThat(cli.out())
        .contains(
            "to enrol this device: arca device enroll --id "
                + dev.deviceId()
                + " --public-key "
                + java.util.Base64.getEncoder().encodeToString(dev.publicKey()));
  }

  @Test
  void checkExitsZeroOnceTheServiceAnswersWithAToken() throws Exception {
    try (AttestationRecorder service = new AttestationRecorder()) {
      Path file = config("service = " + service.uri());
      assertThat(cli.execute("runtime", "--check", "--config", file.toString()))
          .as("stderr: %s", cli.err())
          .isEqualTo(0);
      assertThat(cli.out()).contains("runtime: check passed: attested");
      assertThat(service.next(10)).as("the one attestation").isNotNull();
    }
  }

  @Test
  void flagsWinOverTheFile() throws Exception {
    Path file = config("service = http://127.0.0.1:9");
    assertThat(
            cli.execute(
                "runtime",
                "--check",
                "--config",
                file.toString(),
                "--service",
                "http://127.0.0.1:7"))
        .isEqualTo(1);
    assertThat(cli.err()).contains("cannot reach the service at http://127.0.0.1:7");
  }

  @Test
  void anUnknownKeyIsAUsageError() throws Exception {
    Path file = config("service = http://127.0.0.1:9", "insecur = true");
    assertThat(cli.execute("runtime", "--config", file.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("unknown keys [insecur]");
  }

  @Test
  void aRequiredValueMissingFromBothIsAUsageError() throws Exception {
    Path file = config();
    assertThat(cli.execute("runtime", "--config", file.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("missing --service");
  }

  @Test
  void aSwitchTakesOnlyTrueOrFalse() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "insecure = yes\n");
    assertThat(cli.execute("runtime", "--config", file.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("'insecure' must be true or false");
  }
}
