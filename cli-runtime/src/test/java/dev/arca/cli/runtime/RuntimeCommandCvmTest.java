// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.cli.CliRun;
import dev.arca.crypto.sign.PublisherKeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arca runtime --attester configfs-tsm|nitro}: what each needs is a one-line usage error
 * (exit 2), and a guest without configfs-tsm is a one-line failure naming the path and the kernel
 * feature (exit 1). The attesters themselves are tested in enclave-runtime.
 */
class RuntimeCommandCvmTest {
  @TempDir Path dir;

  private String[] args(String... extra) throws Exception {
    Path ring = dir.resolve("publishers.json");
    Files.writeString(ring, PublisherKeyRing.empty().toJson());
    List<String> a =
        new ArrayList<>(
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
                "--insecure"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void configfsTsmNeedsADeviceIdAndNamesAMissingTsmDirectory() throws Exception {
    CliRun cli = new CliRun();
    assertThat(cli.execute(args("--attester", "configfs-tsm"))).isEqualTo(2);
    assertThat(cli.err()).contains("--attester configfs-tsm needs --device-id");

    Path none = dir.resolve("no-tsm");
    cli = new CliRun();
    int code =
        cli.execute(
            args("--attester", "configfs-tsm", "--device-id", "vm-1", "--tsm", none.toString()));
    assertThat(code).isEqualTo(1);
    assertThat(cli.err())
        .contains(none.resolve("report").toString())
        .contains("CONFIG_TSM_REPORTS")
        .doesNotContain("Exception");
  }

  @Test
  void nitroNeedsAnNsmCommandAndADeviceId() throws Exception {
    CliRun cli = new CliRun();
    assertThat(cli.execute(args("--attester", "nitro", "--device-id", "enc-1"))).isEqualTo(2);
    assertThat(cli.err()).contains("--attester nitro needs --nsm-command");
    cli = new CliRun();
    assertThat(cli.execute(args("--attester", "nitro", "--nsm-command", "/bin/true"))).isEqualTo(2);
    assertThat(cli.err()).contains("--device-id");
  }

  @Test
  void anUnknownAttesterListsWhatThisBuildSupports() throws Exception {
    CliRun cli = new CliRun();
    assertThat(cli.execute(args("--attester", "sgx"))).isEqualTo(2);
    assertThat(cli.err()).contains("tpm2, configfs-tsm, nitro, dev");
  }
}
