// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.json.CanonicalJsonException;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.merkle.InMemoryHashStore;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.merkle.MerkleProver;
import dev.arca.transparency.merkle.MerkleVerifier;
import dev.arca.transparency.merkle.NodeId;
import dev.arca.transparency.merkle.ProofVerificationException;
import dev.arca.transparency.note.Ed25519NoteSigner;
import dev.arca.transparency.note.MalformedNoteException;
import dev.arca.transparency.note.NoteVerificationException;
import dev.arca.transparency.tiles.TileHashReader;
import dev.arca.transparency.tiles.TileId;
import dev.arca.transparency.tiles.Tiles;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the transparency-log core on a log of 2^20 entries: appends (hashing and tree upkeep),
 * proof generation and verification, tile-based proofs, checkpoint signing and verification,
 * canonical JSON. {@link #baselineSha256Entry} (one SHA-256 over one 300-byte entry) is the
 * baseline that {@link BenchmarkMain} divides every score by.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g"})
public class TransparencyBenchmark {
  static final int LOG_SIZE = 1 << 20;
  private static final String ORIGIN = "bench.arca.example/audit";

  private InMemoryHashStore store;
  private InMemoryHashStore appendStore;
  private byte[] entry;
  private byte[] root;
  private long[] indexes;
  private List<byte[]>[] inclusionProofs;
  private byte[][] leafHashes;
  private List<byte[]> consistencyProof;
  private byte[] oldRoot;
  private TileHashReader tiles;
  private Map<TileId, byte[]> tileContent;
  private CheckpointSigner signer;
  private CheckpointVerifier verifier;
  private byte[] checkpointNote;
  private ObjectNode facts;
  private MessageDigest sha256;
  private int next;

  @Setup(Level.Trial)
  // Java cannot create an array of List<byte[]>; the raw array only ever holds such lists.
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void setUp() throws IOException, NoSuchAlgorithmException {
    entry = new byte[300];
    new SplittableRandom(1).nextBytes(entry);
    store = new InMemoryHashStore();
    for (int i = 0; i < LOG_SIZE; i++) {
      entry[0] = (byte) i;
      entry[1] = (byte) (i >> 8);
      entry[2] = (byte) (i >> 16);
      store.append(MerkleHashes.leafHash(entry));
    }
    appendStore = new InMemoryHashStore();
    root = MerkleProver.rootHash(store, LOG_SIZE);
    SplittableRandom r = new SplittableRandom(2);
    indexes = new long[1024];
    inclusionProofs = new List[indexes.length];
    leafHashes = new byte[indexes.length][];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = r.nextLong(LOG_SIZE);
      inclusionProofs[i] = MerkleProver.inclusionProof(store, indexes[i], LOG_SIZE);
      leafHashes[i] = store.readHashes(List.of(new NodeId(0, indexes[i]))).get(0);
    }
    long oldSize = LOG_SIZE - 12_345;
    oldRoot = MerkleProver.rootHash(store, oldSize);
    consistencyProof = MerkleProver.consistencyProof(store, oldSize, LOG_SIZE);
    tileContent = new HashMap<>();
    tiles = new TileHashReader(this::tile, LOG_SIZE);
    Ed25519NoteSigner key = Ed25519NoteSigner.fromSeed(ORIGIN, new byte[32]);
    signer = new CheckpointSigner(ORIGIN, key);
    verifier = new CheckpointVerifier(ORIGIN, List.of(key.verifier()));
    checkpointNote = signer.sign(LOG_SIZE, root).encode();
    facts = JsonNodeFactory.instance.objectNode();
    facts.put("verdict", "affirming");
    facts.put("evidenceDigest", "sha256:" + "ab".repeat(32));
    facts.put("evidenceFormat", "tpm2-quote");
    facts.putObject("policy").put("name", "clinical").put("version", 7);
    facts.putArray("matchedRules").add("permit-clinic-devices").add("permit-class-phi");
    facts.putObject("grant").put("model", "triage").put("version", 12).put("lease", "PT8H");
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  private byte[] tile(TileId id) throws IOException {
    byte[] t = tileContent.get(id);
    if (t == null) {
      t = Tiles.readTile(store, id);
      tileContent.put(id, t);
    }
    return t;
  }

  /** Baseline: one SHA-256 over one entry, the least any log must do per append. */
  @Benchmark
  public byte[] baselineSha256Entry() {
    return sha256.digest(entry);
  }

  /** One append: leaf hash plus the amortised node hashes that complete subtrees. */
  @Benchmark
  public long appendLeaf() {
    entry[3]++;
    if (appendStore.size() >= LOG_SIZE) {
      appendStore = new InMemoryHashStore();
    }
    return appendStore.append(MerkleHashes.leafHash(entry));
  }

  /** Building one audit entry's canonical leaf bytes (RFC 8785). */
  @Benchmark
  public byte[] auditEntryCanonicalBytes() throws CanonicalJsonException {
    return AuditEntry.of("appraisal", Instant.EPOCH.plusMillis(next++), "device:7f3a", facts)
        .leafBytes();
  }

  /** Inclusion proof from the stored-subtree store (2^20 leaves). */
  @Benchmark
  public List<byte[]> inclusionProofGenerate() throws IOException {
    return MerkleProver.inclusionProof(store, indexes[next++ & 1023], LOG_SIZE);
  }

  /** Inclusion proof computed from tiles (what the auditor does), tiles cached. */
  @Benchmark
  public List<byte[]> inclusionProofFromTiles() throws IOException {
    return MerkleProver.inclusionProof(tiles, indexes[next++ & 1023], LOG_SIZE);
  }

  /** Verifying one inclusion proof (20 hashes). */
  @Benchmark
  public int inclusionProofVerify() throws ProofVerificationException {
    int i = next++ & 1023;
    MerkleVerifier.verifyInclusion(indexes[i], LOG_SIZE, leafHashes[i], inclusionProofs[i], root);
    return i;
  }

  /** Root hash at the full size from stored subtrees. */
  @Benchmark
  public byte[] rootHash() throws IOException {
    return MerkleProver.rootHash(store, LOG_SIZE - (next++ & 1023));
  }

  /** Consistency proof between 2^20 - 12345 and 2^20. */
  @Benchmark
  public List<byte[]> consistencyProofGenerate() throws IOException {
    return MerkleProver.consistencyProof(store, LOG_SIZE - 12_345, LOG_SIZE);
  }

  /** Verifying that consistency proof. */
  @Benchmark
  public List<byte[]> consistencyProofVerify() throws ProofVerificationException {
    MerkleVerifier.verifyConsistency(LOG_SIZE - 12_345, LOG_SIZE, oldRoot, root, consistencyProof);
    return consistencyProof;
  }

  /** Signing a checkpoint (Ed25519). */
  @Benchmark
  public byte[] checkpointSign() {
    return signer.sign(LOG_SIZE, root).encode();
  }

  /** Parsing and verifying a checkpoint (Ed25519). */
  @Benchmark
  public long checkpointVerify() throws MalformedNoteException, NoteVerificationException {
    return verifier.verify(checkpointNote).size();
  }
}
