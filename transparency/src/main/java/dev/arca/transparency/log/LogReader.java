// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.MerkleProver;
import dev.arca.transparency.note.MalformedNoteException;
import dev.arca.transparency.note.SignedNote;
import dev.arca.transparency.tiles.EntryBundle;
import dev.arca.transparency.tiles.EntryBundleId;
import dev.arca.transparency.tiles.TileId;
import dev.arca.transparency.tiles.Tiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Read side of an append-only Merkle log. A store implements the four abstract methods (size,
 * entries, stored subtree hashes, lookup by leaf hash); roots, proofs, receipts, tiles, bundles and
 * checkpoints come from the default methods, so every store serves byte-identical answers. A store
 * that appends inside its own transactions (for example the attestation service's PostgreSQL log)
 * implements only this; {@link AppendOnlyLog} adds appending for stores that own it, such as {@link
 * InMemoryLog}, the reference implementation.
 *
 * <p>Contract for implementations: entries never change or disappear once committed; {@link
 * #hashReader()} returns, for every complete subtree inside the committed size, the RFC 9162 hash
 * of those leaves; a proof asked for a size must use only state committed at that size.
 */
public interface LogReader {
  /** Number of entries committed. */
  long size() throws IOException;

  /** Entries {@code [start, end)}; requires {@code 0 <= start <= end <= size()}. */
  List<byte[]> entries(long start, long end) throws IOException;

  /** Stored hashes of complete subtrees of the committed tree. */
  HashReader hashReader();

  /** Index of the first entry with this leaf hash, if any. */
  OptionalLong indexOfLeafHash(byte[] leafHash) throws IOException;

  /** Root hash of the first {@code treeSize} entries; requires {@code 0 <= treeSize <= size()}. */
  default byte[] rootHash(long treeSize) throws IOException {
    requireSize(treeSize);
    return MerkleProver.rootHash(hashReader(), treeSize);
  }

  /** Inclusion proof; requires {@code 0 <= index < treeSize <= size()}. */
  default List<byte[]> inclusionProof(long index, long treeSize) throws IOException {
    requireSize(treeSize);
    return MerkleProver.inclusionProof(hashReader(), index, treeSize);
  }

  /** Consistency proof; requires {@code 0 < size1 <= size2 <= size()}. */
  default List<byte[]> consistencyProof(long size1, long size2) throws IOException {
    requireSize(size2);
    return MerkleProver.consistencyProof(hashReader(), size1, size2);
  }

  /**
   * Signs a checkpoint of the current size. Callers must serialise checkpoint signing with appends
   * if they need the checkpoint to cover a particular entry.
   */
  default SignedNote checkpoint(CheckpointSigner signer) throws IOException {
    long treeSize = size();
    return signer.sign(treeSize, rootHash(treeSize));
  }

  /**
   * A receipt for entry {@code index} in a checkpoint this log signed earlier.
   *
   * @param signedCheckpoint the checkpoint note as served (its size must be {@code <= size()})
   * @throws IllegalArgumentException unless {@code 0 <= index < checkpoint size <= size()}
   */
  default Receipt receipt(long index, SignedNote signedCheckpoint) throws IOException {
    long treeSize;
    try {
      treeSize = Checkpoint.parse(signedCheckpoint.text()).size();
    } catch (MalformedNoteException e) {
      throw new IllegalArgumentException("not a checkpoint: " + e.getMessage(), e);
    }
    return new Receipt(index, treeSize, inclusionProof(index, treeSize), signedCheckpoint.encode());
  }

  /**
   * Content of a hash tile; requires the tile to exist at some size {@code <= size()} (a partial
   * tile of width {@code W} exists while the level has at least {@code W} hashes in its row).
   */
  default byte[] tile(TileId tile) throws IOException {
    long needed =
        ((tile.index() * Tiles.TILE_WIDTH) + tile.width()) << (Tiles.TILE_HEIGHT * tile.level());
    if (needed > size()) {
      throw new IllegalArgumentException(tile.path() + " does not exist yet");
    }
    return Tiles.readTile(hashReader(), tile);
  }

  /** Content of an entry bundle; requires its entries to exist. */
  default byte[] entryBundle(EntryBundleId bundle) throws IOException {
    long start = bundle.firstEntry();
    long end = start + bundle.width();
    if (end > size()) {
      throw new IllegalArgumentException(bundle.path() + " does not exist yet");
    }
    return EntryBundle.encode(new ArrayList<>(entries(start, end)));
  }

  private void requireSize(long treeSize) throws IOException {
    if (treeSize < 0 || treeSize > size()) {
      throw new IllegalArgumentException("requires 0 <= treeSize <= size(), got " + treeSize);
    }
  }
}
