// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.cli.CliRun;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.devstack.Swtpm;
import dev.arca.tpm.DeviceKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca runtime --attester tpm2 --tpm ...}: usage errors exit 2 with one line; against a real
 * swtpm the runtime opens the TPM, names its device by the AK, keeps the AK blobs in its state
 * folder and extends its measurement log into PCR 23 before it contacts the service (which here is
 * unreachable, so {@code --check} stops it with exit 1; without it the runtime would stay up and
 * retry).
 */
class RuntimeCommandTpmTest {
  @TempDir Path dir;

  private String[] args(String... extra) throws Exception {
    Path ring = dir.resolve("publishers.json");
    Files.writeString(ring, PublisherKeyRing.empty().toJson());
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "runtime",
                "--check",
                "--service",
                "http://127.0.0.1:1",
                "--model",
                "m:synthetic",
                "--publishers",
                ring.toString(),
                "--state",
                dir.resolve("state").toString(),
                "--insecure",
                "--attester",
                "tpm2"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void tpm2WithoutAUsableTpmArgumentIsAUsageError() throws Exception {
    CliRun cli = new CliRun();
    assertThat(cli.execute(args())).isEqualTo(2);
    assertThat(cli.err()).contains("--attester tpm2 needs --tpm").doesNotContain("Exception");
    assertThat(cli.execute(args("--tpm", "tpmrm0"))).isEqualTo(2);
    assertThat(cli.err()).contains("--tpm must be a device path");
  }

  @Test
  void tpm2RuntimeMeasuresIntoPcr23OfTheSwtpm() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    try (Swtpm tpm = Swtpm.start()) {
      CliRun cli = new CliRun();
      int code = cli.execute(args("--tpm", "swtpm:127.0.0.1:" + tpm.port()));
      assertThat(code).as("stderr: %s", cli.err()).isEqualTo(1);
      assertThat(cli.out()).contains("runtime: device tpm2:ak:000b").contains("measure: ");
      assertThat(dir.resolve("state").resolve(DeviceKeys.AK_PRIVATE_FILE)).isNotEmptyFile();
      assertThat(tpm.tools().pcrRead("sha256", List.of(23)).get(23)).isNotEqualTo(new byte[32]);
    }
  }
}
