// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.json.CanonicalJsonException;
import dev.arca.transparency.note.Ed25519NoteSigner;
import dev.arca.transparency.tiles.EntryBundle;
import dev.arca.transparency.tiles.EntryBundleId;
import dev.arca.transparency.tiles.TileId;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The auditor's view: a log served as tiles, verified with only the log key and an earlier
 * checkpoint; every kind of tampering is detected and, where an entry is to blame, named.
 */
class LogAuditorTest {
  private static final String ORIGIN = "arca.example/audit";
  private final Ed25519NoteSigner key = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
  private final CheckpointSigner signer = new CheckpointSigner(ORIGIN, key);
  private final CheckpointVerifier verifier =
      new CheckpointVerifier(ORIGIN, List.of(key.verifier()));

  private static List<byte[]> entries(int from, int to, String actorPrefix)
      throws CanonicalJsonException {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(
          AuditEntry.of(
                  "key-release",
                  Instant.ofEpochSecond(1_800_000_000L + i),
                  actorPrefix + i,
                  AuditEntryTest.appraisalFacts().put("seq", i))
              .leafBytes());
    }
    return out;
  }

  private InMemoryLog log(int size) throws CanonicalJsonException {
    InMemoryLog log = new InMemoryLog();
    log.append(entries(0, size, "device:"));
    return log;
  }

  /** Serves the log like /v1/audit/...; {@code bundles} may rewrite entry bundles. */
  private LogAuditor.Fetcher serve(
      InMemoryLog log, byte[] checkpoint, UnaryOperator<List<byte[]>> bundles) {
    return path -> {
      if (path.equals("checkpoint")) {
        return checkpoint;
      }
      try {
        if (path.startsWith("tile/entries/")) {
          EntryBundleId id = EntryBundleId.parse(path);
          List<byte[]> e = log.entries(id.firstEntry(), id.firstEntry() + id.width());
          return EntryBundle.encode(bundles.apply(new ArrayList<>(e)));
        }
        return log.tile(TileId.parse(path));
      } catch (TransparencyException e) {
        throw new IOException(e);
      }
    };
  }

  private LogAuditor.Result audit(LogAuditor.Fetcher f, Optional<Checkpoint> trusted, long from)
      throws Exception {
    return new LogAuditor(f, verifier).audit(trusted, from, (i, e) -> AuditEntry.fromLeafBytes(e));
  }

  @Test
  void anUntouchedLogVerifiesFromScratchAndFromATrustedCheckpoint() throws Exception {
    InMemoryLog log = log(600);
    Checkpoint old = verifier.verify(log.checkpoint(signer).encode());
    log.append(entries(600, 1000, "device:"));
    byte[] cp = log.checkpoint(signer).encode();
    LogAuditor.Result all = audit(serve(log, cp, b -> b), Optional.empty(), 0);
    assertThat(all.entriesChecked()).isEqualTo(1000);
    assertThat(all.consistencyChecked()).isFalse();
    LogAuditor.Result incremental = audit(serve(log, cp, b -> b), Optional.of(old), old.size());
    assertThat(incremental.entriesChecked()).isEqualTo(400);
    assertThat(incremental.consistencyChecked()).isTrue();
    assertThat(incremental.checkpoint().size()).isEqualTo(1000);
  }

  @Test
  void aChangedEntryIsNamed() throws Exception {
    InMemoryLog log = log(300);
    byte[] cp = log.checkpoint(signer).encode();
    LogAuditor.Fetcher f =
        serve(
            log,
            cp,
            b -> {
              if (new String(b.get(0), java.nio.charset.StandardCharsets.UTF_8)
                  .contains("device:256\"")) {
                b.get(3)[b.get(3).length - 3] ^= 1; // entry 259
              }
              return b;
            });
    assertEntryBlamed(f, "audit.entry-mismatch", 259);
  }

  @Test
  void aDeletedEntryIsNamed() throws Exception {
    InMemoryLog log = log(40);
    byte[] cp = log.checkpoint(signer).encode();
    // Entry 17 removed; later entries move up; the bundle is padded to keep its width.
    LogAuditor.Fetcher f =
        serve(
            log,
            cp,
            b -> {
              b.remove(17);
              b.add(new byte[] {'{', '}'});
              return b;
            });
    assertEntryBlamed(f, "audit.entry-mismatch", 17);
  }

  @Test
  void reorderedEntriesAreNamed() throws Exception {
    InMemoryLog log = log(40);
    byte[] cp = log.checkpoint(signer).encode();
    LogAuditor.Fetcher f =
        serve(
            log,
            cp,
            b -> {
              b.add(21, b.remove(20));
              b.add(20, b.remove(22));
              return b;
            });
    assertEntryBlamed(f, "audit.entry-mismatch", 20);
  }

  @Test
  void aRewrittenLogWithRecomputedHashesFailsTheSignedRoot() throws Exception {
    InMemoryLog genuine = log(50);
    byte[] cp = genuine.checkpoint(signer).encode();
    InMemoryLog rewritten = new InMemoryLog();
    List<byte[]> e = entries(0, 50, "device:");
    e.set(33, entries(0, 1, "attacker:").get(0));
    rewritten.append(e);
    assertThatThrownBy(() -> audit(serve(rewritten, cp, b -> b), Optional.empty(), 0))
        .isInstanceOfSatisfying(
            LogAuditException.class, x -> assertThat(x.id()).isEqualTo("audit.root-mismatch"));
  }

  @Test
  void aForkSignedWithTheRealKeyIsInconsistentWithTheTrustedCheckpoint() throws Exception {
    InMemoryLog genuine = log(20);
    Checkpoint trusted = verifier.verify(genuine.checkpoint(signer).encode());
    InMemoryLog fork = new InMemoryLog();
    List<byte[]> e = entries(0, 30, "device:");
    e.set(5, entries(0, 1, "attacker:").get(0));
    fork.append(e);
    byte[] forkCp = fork.checkpoint(signer).encode();
    assertThatThrownBy(() -> audit(serve(fork, forkCp, b -> b), Optional.of(trusted), 20))
        .isInstanceOfSatisfying(
            LogAuditException.class, x -> assertThat(x.id()).isEqualTo("audit.inconsistent"));
  }

  @Test
  void aShrunkenLogIsARollback() throws Exception {
    InMemoryLog log = log(20);
    byte[] small = log.checkpoint(signer).encode();
    log.append(entries(20, 30, "device:"));
    Checkpoint trusted = verifier.verify(log.checkpoint(signer).encode());
    assertThatThrownBy(() -> audit(serve(log, small, b -> b), Optional.of(trusted), 0))
        .isInstanceOfSatisfying(
            LogAuditException.class, x -> assertThat(x.id()).isEqualTo("audit.rollback"));
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsRefused() throws Exception {
    InMemoryLog log = log(5);
    Ed25519NoteSigner other = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
    byte[] cp = log.checkpoint(new CheckpointSigner(ORIGIN, other)).encode();
    assertThatThrownBy(() -> audit(serve(log, cp, b -> b), Optional.empty(), 0))
        .isInstanceOfSatisfying(
            TransparencyException.class,
            x -> assertThat(x.id()).isEqualTo("note.no-trusted-signature"));
  }

  @Test
  void theCallersEntryCheckNamesTheEntryItRejects() throws Exception {
    InMemoryLog log = log(10);
    log.append("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] cp = log.checkpoint(signer).encode();
    assertEntryBlamed(serve(log, cp, b -> b), "audit.entry-rejected", 10);
  }

  @Test
  void startingAtTheSignedSizeChecksNothingAndBeyondItIsRefused() throws Exception {
    InMemoryLog log = log(12);
    byte[] cp = log.checkpoint(signer).encode();
    LogAuditor.Result none = audit(serve(log, cp, b -> b), Optional.empty(), 12);
    assertThat(none.entriesChecked()).isZero();
    assertThat(none.firstEntry()).isEqualTo(12);
    for (long from : new long[] {13, -1}) {
      assertThatThrownBy(() -> audit(serve(log, cp, b -> b), Optional.empty(), from))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aTrustedCheckpointOfTheSameSizeOrOfTheEmptyLogIsConsistent() throws Exception {
    InMemoryLog log = log(12);
    byte[] cp = log.checkpoint(signer).encode();
    Checkpoint same = verifier.verify(cp);
    LogAuditor.Result r = audit(serve(log, cp, b -> b), Optional.of(same), 12);
    assertThat(r.consistencyChecked()).isTrue();
    Checkpoint empty = verifier.verify(new InMemoryLog().checkpoint(signer).encode());
    assertThat(empty.size()).isZero();
    assertThat(audit(serve(log, cp, b -> b), Optional.of(empty), 0).entriesChecked()).isEqualTo(12);
  }

  private void assertEntryBlamed(LogAuditor.Fetcher f, String id, long index) {
    assertThatThrownBy(() -> audit(f, Optional.empty(), 0))
        .isInstanceOfSatisfying(
            LogAuditException.class,
            x -> {
              assertThat(x.id()).isEqualTo(id);
              assertThat(x.entryIndex()).isEqualTo(index);
              assertThat(x.getMessage()).contains("entry " + index);
            });
  }
}
