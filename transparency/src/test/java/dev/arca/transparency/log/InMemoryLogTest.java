// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.merkle.MerkleVerifier;
import dev.arca.transparency.note.Ed25519NoteSigner;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole life of a leaf: entry, append, checkpoint, proof, verification. */
class InMemoryLogTest {
  private static final String ORIGIN = "arca.example/audit";
  private final Ed25519NoteSigner key = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
  private final CheckpointSigner signer = new CheckpointSigner(ORIGIN, key);
  private final CheckpointVerifier auditor =
      new CheckpointVerifier(ORIGIN, List.of(key.verifier()));

  @Test
  void everyEntryIsProvablyInEverySignedCheckpointAndCheckpointsAreConsistent() throws Exception {
    InMemoryLog log = new InMemoryLog();
    List<AuditEntry> appended = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      AuditEntry e =
          AuditEntry.of(
              "appraisal",
              Instant.ofEpochSecond(1_700_000_000L + i),
              "device:" + (i % 7),
              AuditEntryTest.appraisalFacts().put("seq", i));
      assertThat(log.append(e)).isEqualTo(i);
      appended.add(e);
      if (i % 37 == 0 || i == 299) {
        checkpoints.add(auditor.verify(log.checkpoint(signer).encode()));
      }
    }
    for (Checkpoint cp : checkpoints) {
      for (int i = 0; i < cp.size(); i += 11) {
        AuditEntry e = appended.get(i);
        assertThat(log.indexOfLeafHash(e.leafHash())).hasValue(i);
        MerkleVerifier.verifyInclusion(
            i, cp.size(), e.leafHash(), log.inclusionProof(i, cp.size()), cp.rootHash());
      }
    }
    for (int a = 0; a < checkpoints.size(); a++) {
      for (int b = a; b < checkpoints.size(); b++) {
        Checkpoint old = checkpoints.get(a);
        Checkpoint now = checkpoints.get(b);
        MerkleVerifier.verifyConsistency(
            old.size(),
            now.size(),
            old.rootHash(),
            now.rootHash(),
            log.consistencyProof(old.size(), now.size()));
      }
    }
    assertThat(AuditEntry.fromLeafBytes(log.entries(5, 6).get(0))).isEqualTo(appended.get(5));
  }

  @Test
  void batchAppendsReturnTheFirstIndexAndKeepOrder() {
    InMemoryLog log = new InMemoryLog();
    assertThat(log.append(List.of(new byte[] {1}, new byte[] {2}))).isZero();
    assertThat(log.append(List.of(new byte[] {3}))).isEqualTo(2);
    assertThat(log.entries(0, 3)).containsExactly(new byte[] {1}, new byte[] {2}, new byte[] {3});
  }
}
