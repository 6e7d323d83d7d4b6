// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.merkle.CompactRange;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.merkle.MerkleProver;
import dev.arca.transparency.merkle.MerkleVerifier;
import dev.arca.transparency.merkle.NodeId;
import dev.arca.transparency.merkle.ProofVerificationException;
import dev.arca.transparency.tiles.EntryBundle;
import dev.arca.transparency.tiles.EntryBundleId;
import dev.arca.transparency.tiles.TileHashReader;
import dev.arca.transparency.tiles.Tiles;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a log served as C2SP tlog-tiles, with nothing trusted but the log's verifier key and
 * optionally a checkpoint saved from an earlier run. This is the logic of {@code arca audit
 * verify}:
 *
 * <ol>
 *   <li>fetch {@code checkpoint} and verify its signature and origin;
 *   <li>if a trusted checkpoint is given, prove the new one extends it (consistency proof computed
 *       from the served tiles);
 *   <li>fetch the entry bundles from {@code from} on, check each entry against its leaf hash in the
 *       level-0 tile, hand it to the caller's {@link EntryCheck}, and recompute the root from the
 *       entries (plus tile hashes for the prefix before {@code from});
 *   <li>compare that root with the signed one.
 * </ol>
 *
 * The first failure is thrown, naming the entry where one is to blame.
 */
public final class LogAuditor {
  /** Fetches a resource below the log prefix: {@code checkpoint}, {@code tile/...}. */
  @FunctionalInterface
  public interface Fetcher {
    /**
     * Returns the log's resource at {@code path}.
     *
     * @param path relative path such as {@code checkpoint} or {@code tile/0/x001/002.p/7}
     * @throws IOException if it cannot be fetched
     */
    byte[] fetch(String path) throws IOException;
  }

  /** The caller's check of one entry (for example: parse, re-verify evidence and decision). */
  @FunctionalInterface
  public interface EntryCheck {
    /**
     * Checks one entry of the log.
     *
     * @throws TransparencyException to reject the entry; the audit stops and names it
     */
    void check(long index, byte[] entry) throws TransparencyException;
  }

  /**
   * What was verified.
   *
   * @param checkpoint the new, verified checkpoint (save it as the next trusted one)
   * @param firstEntry first entry checked
   * @param entriesChecked number of entries checked and hashed
   * @param consistencyChecked whether a trusted checkpoint was proven to be a prefix
   */
  public record Result(
      Checkpoint checkpoint, long firstEntry, long entriesChecked, boolean consistencyChecked) {}

  private final Fetcher fetcher;
  private final CheckpointVerifier checkpointVerifier;

  /**
   * @param fetcher source of the log's resources
   * @param checkpointVerifier the log's pinned origin and keys
   */
  public LogAuditor(Fetcher fetcher, CheckpointVerifier checkpointVerifier) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.checkpointVerifier = Objects.requireNonNull(checkpointVerifier, "checkpointVerifier");
  }

  /**
   * Runs the audit.
   *
   * @param trusted a checkpoint verified earlier, if any
   * @param from first entry to check, {@code 0 <= from}; entries before it are covered only by
   *     their tile hashes (use 0 to check everything)
   * @param check called for every entry from {@code from} in order
   * @throws IOException if a resource cannot be fetched or has the wrong size
   * @throws TransparencyException {@link LogAuditException}, or the checkpoint's {@code note.*} /
   *     {@code checkpoint.*} failure, or {@code tiles.malformed.*} for a malformed bundle
   */
  public Result audit(Optional<Checkpoint> trusted, long from, EntryCheck check)
      throws IOException, TransparencyException {
    Checkpoint cp = checkpointVerifier.verify(fetcher.fetch("checkpoint"));
    long size = cp.size();
    TileHashReader tiles = new TileHashReader(t -> fetcher.fetch(t.path()), size);

    boolean consistency = false;
    if (trusted.isPresent()) {
      checkConsistency(trusted.get(), cp, tiles);
      consistency = true;
    }
    if (from < 0 || from > size) {
      throw new IllegalArgumentException("from must be in [0, " + size + "], got " + from);
    }
    CompactRange range =
        CompactRange.ofPrefix(from, tiles.readHashes(MerkleProver.rootNodes(from)));
    long index = from;
    while (index < size) {
      EntryBundleId bundle = Tiles.bundleFor(index, size);
      List<byte[]> entries = EntryBundle.decode(bundle, fetcher.fetch(bundle.path()));
      for (int i = (int) (index - bundle.firstEntry()); i < entries.size(); i++, index++) {
        byte[] entry = entries.get(i);
        byte[] leafHash = MerkleHashes.leafHash(entry);
        byte[] tileHash = tiles.readHashes(List.of(new NodeId(0, index))).get(0);
        if (!MessageDigest.isEqual(leafHash, tileHash)) {
          throw new LogAuditException(
              "audit.entry-mismatch",
              "entry "
                  + index
                  + " does not match its leaf hash in "
                  + bundle.hashTile().path()
                  + ": it was changed, removed, inserted or moved",
              index,
              null);
        }
        try {
          check.check(index, entry);
        } catch (TransparencyException e) {
          throw new LogAuditException(
              "audit.entry-rejected",
              "entry " + index + " rejected: " + e.id() + ": " + e.getMessage(),
              index,
              e);
        }
        range.append(leafHash);
      }
    }
    byte[] root = range.rootHash();
    if (!MessageDigest.isEqual(root, cp.rootHash())) {
      throw new LogAuditException(
          "audit.root-mismatch",
          "entries do not hash to the signed root of size " + size + ": the log was altered",
          -1,
          null);
    }
    return new Result(cp, from, size - from, consistency);
  }

  private static void checkConsistency(Checkpoint trusted, Checkpoint now, TileHashReader tiles)
      throws IOException, LogAuditException {
    if (now.size() < trusted.size()) {
      throw new LogAuditException(
          "audit.rollback",
          "log shrank from " + trusted.size() + " to " + now.size() + " entries",
          -1,
          null);
    }
    if (trusted.size() == 0) {
      return; // every tree extends the empty tree
    }
    try {
      List<byte[]> proof = MerkleProver.consistencyProof(tiles, trusted.size(), now.size());
      MerkleVerifier.verifyConsistency(
          trusted.size(), now.size(), trusted.rootHash(), now.rootHash(), proof);
    } catch (ProofVerificationException e) {
      throw new LogAuditException(
          "audit.inconsistent",
          "checkpoint of size "
              + now.size()
              + " does not extend the trusted checkpoint of size "
              + trusted.size()
              + ": the log forked or rewrote history ("
              + e.getMessage()
              + ")",
          -1,
          e);
    }
  }
}
