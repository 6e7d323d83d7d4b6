// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.arca.attestation.keyrelease.MasterKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another local account cannot list the service's folders: each folder the service creates is mode
 * 0700 whatever the umask (the JVM here runs with the usual 022, which would give 0755).
 */
class PrivateDirectoriesTest {
  @TempDir Path home;

  @Test
  void everyFolderItCreatesIsTheOwnersAloneAndExistingOnesAreLeftAsTheyAre() throws Exception {
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = home.resolve(".arca").resolve("data").resolve("packages");

    PrivateDirectories.create(data);
    PrivateDirectories.create(data); // a second start, or another replica: no error

    for (Path created : new Path[] {home.resolve(".arca"), home.resolve(".arca/data"), data}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)))
          .as(created.toString())
          .isEqualTo("rwx------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void theMasterKeysFolderIsCreatedPrivateBesideTheKeyItHolds() throws Exception {
    Path key = home.resolve("keys").resolve("master.key");

    assumeTrue(
        System.getenv(MasterKeyFile.ENV) == null,
        MasterKeyFile.ENV + " is set: the key comes from it and no file is created");
    MasterKeyFile.load(key).destroy();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }
}
