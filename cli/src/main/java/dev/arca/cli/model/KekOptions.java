// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import dev.arca.crypto.kek.KekException;
import dev.arca.crypto.kek.KeyEncryptionKey;
import dev.arca.crypto.kek.LocalKeysetKekClient;
import dev.arca.crypto.kek.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local key-encryption key lives and where its master key comes from. */
final class KekOptions {
  @Option(
      names = "--kek-dir",
      defaultValue = ".arca/keks",
      description = "Folder of local KEK keyset files (encrypted). Default: ${DEFAULT-VALUE}.")
  Path dir;

  @Option(
      names = "--kek",
      defaultValue = "publisher",
      description = "KEK name (arca-local-kek://<name>). Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(
      names = "--master-key-env",
      defaultValue = "ARCA_MASTER_KEY",
      description =
          "Environment variable holding the 32-byte master key, base64. Default: ${DEFAULT-VALUE}.")
  String masterKeyEnv;

  @Option(
      names = "--master-key-file",
      description = "File holding the master key (instead of the environment variable).")
  Path masterKeyFile;

  MasterKey masterKey() throws KekException {
    return masterKeyFile != null
        ? MasterKey.fromFile(masterKeyFile)
        : MasterKey.fromEnv(masterKeyEnv);
  }

  LocalKeysetKekClient client() throws KekException {
    return LocalKeysetKekClient.of(dir, masterKey());
  }

  /** The KEK, created on first use. */
  KeyEncryptionKey kek() throws KekException {
    LocalKeysetKekClient client = client();
    if (!Files.exists(dir.resolve(name + ".kek.json"))) {
      return client.create(name);
    }
    return client.getKek(LocalKeysetKekClient.URI_PREFIX + name);
  }
}
