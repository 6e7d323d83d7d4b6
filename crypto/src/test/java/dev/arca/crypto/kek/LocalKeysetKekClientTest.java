// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.seal.DataKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeysetKekClientTest {
  static String randomMasterB64() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  @Test
  void wrapsAndUnwrapsADataKeyAndNeverStoresKeysInPlaintext(@TempDir Path dir) throws Exception {
    String b64 = randomMasterB64();
    MasterKey master = MasterKey.fromEnv(Map.of("ARCA_MASTER_KEY", b64), "ARCA_MASTER_KEY");
    assertThat(master.toString()).doesNotContain(b64);
    LocalKeysetKekClient client = LocalKeysetKekClient.of(dir.resolve("keks"), master);
    KeyEncryptionKey kek = client.create("service");
    assertThat(kek.keyUri()).isEqualTo("arca-local-kek://service");
    assertThat(client.doesSupport("arca-local-kek://service")).isTrue();
    assertThat(client.doesSupport("gcp-kms://projects/x")).isFalse();

    DataKey dataKey = DataKey.generate();
    byte[] raw = dataKey.bytes(InsecureSecretKeyAccess.get());
    byte[] ad = WrappedDataKey.modelBinding("m", 1, new byte[32]);
    WrappedDataKey wrapped = WrappedDataKey.wrap(dataKey, kek, ad);
    assertThat(wrapped.toString()).doesNotContain(HexFormat.of().formatHex(raw));
    assertThat(HexFormat.of().formatHex(wrapped.ciphertext()))
        .doesNotContain(HexFormat.of().formatHex(raw));
    DataKey back = WrappedDataKey.fromJson(wrapped.toJson()).unwrap(client, ad);
    assertThat(back.sameKeyAs(dataKey)).isTrue();

    // The keyset file is Tink's encrypted keyset: no cleartext key material in it.
    String file = Files.readString(dir.resolve("keks/service.kek.json"), StandardCharsets.UTF_8);
    assertThat(file).contains("encryptedKeyset").doesNotContain("\"keyData\"");

    // Wrong associated data (another model) fails with its id.
    assertThatThrownBy(
            () -> wrapped.unwrap(client, WrappedDataKey.modelBinding("m", 2, new byte[32])))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.decrypt-failed"));
    byte[] tampered = wrapped.ciphertext();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> WrappedDataKey.of(kek.keyUri(), tampered).unwrap(client, ad))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.decrypt-failed"));
  }

  @Test
  void malformedWrappedKeyJsonHasAnId() {
    for (String bad : new String[] {"", "{}", "[1]", "{\"kekUri\":\"x\",\"ciphertext\":\"!!\"}"}) {
      assertThatThrownBy(() -> WrappedDataKey.fromJson(bad))
          .isInstanceOfSatisfying(
              KekException.class, e -> assertThat(e.id()).isEqualTo("kek.decrypt-failed"));
    }
  }

  @Test
  void rotationKeepsOldWrapsReadable(@TempDir Path dir) throws Exception {
    MasterKey master = MasterKey.fromEnv(Map.of("K", randomMasterB64()), "K");
    LocalKeysetKekClient client = LocalKeysetKekClient.of(dir, master);
    KeyEncryptionKey v1 = client.create("svc");
    DataKey dataKey = DataKey.generate();
    WrappedDataKey old = WrappedDataKey.wrap(dataKey, v1, new byte[0]);
    KeyEncryptionKey v2 = client.rotate("svc");
    WrappedDataKey fresh = WrappedDataKey.wrap(dataKey, v2, new byte[0]);
    assertThat(old.unwrap(client, new byte[0]).sameKeyAs(dataKey)).isTrue();
    assertThat(fresh.unwrap(client, new byte[0]).sameKeyAs(dataKey)).isTrue();
    // New wraps use the new primary key (different Tink key id prefix).
    assertThat(java.util.Arrays.copyOf(fresh.ciphertext(), 5))
        .isNotEqualTo(java.util.Arrays.copyOf(old.ciphertext(), 5));
  }

  /**
   * Replicas sharing a keys directory may create the service KEK at the same moment: exactly one
   * creation wins, the others are told it exists, and every key handed out is the one on disk.
   */
  @RepeatedTest(5)
  void replicasCreatingOneKekAtOnceEndUpWithTheSameKey(@TempDir Path dir) throws Exception {
    MasterKey master = MasterKey.fromEnv(Map.of("K", randomMasterB64()), "K");
    int replicas = 8;
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    CyclicBarrier start = new CyclicBarrier(replicas);
    List<Future<KeyEncryptionKey>> created = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      created.add(
          pool.submit(
              () -> {
                start.await();
                return LocalKeysetKekClient.of(dir, master).create("service");
              }));
    }
    pool.shutdown();
    List<KeyEncryptionKey> winners = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (Future<KeyEncryptionKey> f : created) {
      try {
        winners.add(f.get());
      } catch (ExecutionException e) {
        refusals.add(e.getCause() instanceof KekException k ? k.id() : e.getCause().toString());
      }
    }
    assertThat(winners).hasSize(1);
    assertThat(refusals).hasSize(replicas - 1).containsOnly(KekException.EXISTS);
    KeyEncryptionKey onDisk =
        LocalKeysetKekClient.of(dir, master).getKek("arca-local-kek://service");
    byte[] ad = "replica".getBytes(StandardCharsets.UTF_8);
    assertThat(onDisk.decrypt(winners.get(0).encrypt(new byte[32], ad), ad)).hasSize(32);
    try (var files = Files.list(dir)) {
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .containsExactly("service.kek.json");
    }
  }

  @Test
  void wrongMasterKeyAndBadInputsHaveIds(@TempDir Path dir) throws Exception {
    LocalKeysetKekClient client =
        LocalKeysetKekClient.of(dir, MasterKey.fromEnv(Map.of("K", randomMasterB64()), "K"));
    client.create("svc");
    LocalKeysetKekClient wrong =
        LocalKeysetKekClient.of(dir, MasterKey.fromEnv(Map.of("K", randomMasterB64()), "K"));
    assertThatThrownBy(() -> wrong.getKek("arca-local-kek://svc"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.bad-keyset"));
    // A keyset file renamed to another KEK's name does not decrypt (bound by associated data).
    Files.copy(dir.resolve("svc.kek.json"), dir.resolve("other.kek.json"));
    assertThatThrownBy(() -> client.getKek("arca-local-kek://other"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.bad-keyset"));
    assertThatThrownBy(() -> client.getKek("arca-local-kek://absent"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.unknown-uri"));
    assertThatThrownBy(() -> client.getKek("vault://x"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.unknown-uri"));
    assertThatThrownBy(() -> MasterKey.fromEnv(Map.of(), "ARCA_MASTER_KEY"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.bad-master-key"));
    assertThatThrownBy(() -> MasterKey.fromEnv(Map.of("K", "c2hvcnQ="), "K"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo("kek.bad-master-key"));
  }

  @Test
  void masterKeyFromFileRawOrBase64(@TempDir Path dir) throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    Files.write(dir.resolve("raw.key"), raw);
    Files.writeString(dir.resolve("b64.key"), Base64.getEncoder().encodeToString(raw) + "\n");
    LocalKeysetKekClient a =
        LocalKeysetKekClient.of(dir.resolve("k"), MasterKey.fromFile(dir.resolve("raw.key")));
    a.create("x");
    LocalKeysetKekClient b =
        LocalKeysetKekClient.of(dir.resolve("k"), MasterKey.fromFile(dir.resolve("b64.key")));
    assertThat(b.getKek("arca-local-kek://x").keyUri()).isEqualTo("arca-local-kek://x");
  }
}
