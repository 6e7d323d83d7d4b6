// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.devstack.Swtpm;
import dev.arca.runtime.lease.SealedLease;
import dev.arca.runtime.update.RollbackException;
import dev.arca.runtime.update.VersionFloor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a TPM device keeps outside its process, against a real software TPM: the offline lease's
 * secrets sealed to PCRs 0-7 and 23 ({@link TpmSealer} under {@link SealedLease}), and version
 * floors in NV counters ({@link TpmVersionCounter} under {@link VersionFloor}), each attacked the
 * way someone with the device's disk would: an altered lease file, a changed boot chain, a modified
 * runtime, an older copy of the state folder. Skips, naming the tools, without swtpm or tpm2-tools.
 */
class TpmSealedStateTest {
  private static final byte[] ANSWER =
      "{\"token\":\"t\",\"grants\":[]}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path state;
  private Swtpm tpm;
  private Tpm2RuntimeAttester attester;

  @BeforeEach
  void start() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
    attester = boot();
  }

  @AfterEach
  void stop() {
    if (attester != null) {
      attester.close();
    }
    if (tpm != null) {
      tpm.close();
    }
  }

  /** Opens the attester (which resets PCR 23) and extends the same runtime measurement. */
  private Tpm2RuntimeAttester boot(String... measurements) throws Exception {
    Tpm2RuntimeAttester a = Tpm2RuntimeAttester.open("swtpm:127.0.0.1:" + tpm.port(), state, "d");
    a.extend(new byte[32]);
    for (String m : measurements) {
      a.extend(
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(m.getBytes(StandardCharsets.UTF_8)));
    }
    return a;
  }

  private SealedLease lease() {
    return SealedLease.in(state, attester.sealer().orElseThrow());
  }

  private static HpkePrivateKey runtimeKey() throws Exception {
    return HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, new SecureRandom());
  }

  @Test
  void theLeaseComesBackAfterAReboot() throws Exception {
    HpkePrivateKey key = runtimeKey();
    lease().save(key, ANSWER);
    assertThat(Files.readString(state.resolve(SealedLease.FILE)))
        .doesNotContain(
            java.util.Base64.getEncoder().encodeToString(key.bytes(InsecureSecretKeyAccess.get())));

    attester.close();
    attester = boot();
    SealedLease.Restored r = lease().restore().orElseThrow();
    assertThat(r.attestation()).isEqualTo(ANSWER);
    assertThat(r.runtimeKey().publicKey().bytes()).isEqualTo(key.publicKey().bytes());
  }

  @Test
  void aLeaseFileWithALongerAllowanceIsRefusedAndDeleted() throws Exception {
    lease().save(runtimeKey(), ANSWER);
    Path file = state.resolve(SealedLease.FILE);
    String json = Files.readString(file);
    String forged =
        java.util.Base64.getEncoder()
            .encodeToString(
                "{\"token\":\"t\",\"grants\":[],\"offlineUntil\":\"9999-01-01T00:00:00Z\"}"
                    .getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        file,
        json.replaceFirst("\"attestation\":\"[^\"]*\"", "\"attestation\":\"" + forged + "\""));

    assertThatThrownBy(() -> lease().restore())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("was altered");
    assertThat(file).doesNotExist();
  }

  @Test
  void anotherBootChainCannotUnsealTheLease() throws Exception {
    lease().save(runtimeKey(), ANSWER);
    attester.close();
    // Another boot loader or firmware: PCR 7 (secure boot policy) differs at the next boot.
    tpm.tools().pcrExtend(7, "sha256", new byte[32]);
    attester = boot();

    assertThatThrownBy(() -> lease().restore())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("policy check failed");
    // Kept: the genuine runtime on the genuine boot chain may still come back.
    assertThat(state.resolve(SealedLease.FILE)).exists();
  }

  @Test
  void aModifiedRuntimeCannotUnsealTheLease() throws Exception {
    lease().save(runtimeKey(), ANSWER);
    attester.close();
    // Another jar, JVM argument or configuration: one more measurement in PCR 23.
    attester = boot("jar:patched-runtime.jar");

    assertThatThrownBy(() -> lease().restore())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("policy check failed");
  }

  @Test
  void restoringAnOlderStateFolderDoesNotLowerTheTpmFloor() throws Exception {
    Path backup = Files.createTempDirectory("arca-state-backup-");
    VersionFloor floor = VersionFloor.open(state, attester.versionCounter());
    floor.accept("triage", 1);
    Files.copy(
        state.resolve("accepted-versions.json"),
        backup.resolve("accepted-versions.json"),
        StandardCopyOption.REPLACE_EXISTING);
    floor.accept("triage", 3);

    // The attacker puts back the folder as it was at version 1.
    Files.copy(
        backup.resolve("accepted-versions.json"),
        state.resolve("accepted-versions.json"),
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(VersionFloor.open(state).floor("triage"))
        .as("the file alone was rolled back")
        .isEqualTo(1);
    VersionFloor reopened = VersionFloor.open(state, attester.versionCounter());
    assertThat(reopened.floor("triage")).isEqualTo(3);
    assertThatThrownBy(() -> reopened.check("triage", 2))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("lower than version 3")
        .hasMessageContaining("TPM counter");
    assertThat(tpm.tools().nvCounter(TpmVersionCounter.index("triage"))).hasValue(3);
    // Another model has its own counter.
    assertThat(reopened.floor("other-model")).isZero();
  }

  @Test
  void theDevAttesterSealsNothing() throws Exception {
    Attester dev = DevRuntimeAttester.open(state.resolve("dev"), java.time.Clock.systemUTC());
    assertThat(dev.sealer()).isEmpty();
    assertThat(dev.versionCounter()).isEmpty();
  }
}
