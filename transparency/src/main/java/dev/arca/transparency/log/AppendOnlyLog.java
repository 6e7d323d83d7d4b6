package dev.arca.transparency.log;

import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.MerkleProver;
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
 * An append-only Merkle log as a store sees it. A store implements the five abstract methods
 * (append, size, entries, stored subtree hashes, lookup by leaf hash); roots, proofs, tiles,
 * bundles and checkpoints come from the default methods, so every store serves byte-identical
 * answers. {@link InMemoryLog} is the reference implementation.
 *
 * <p>Contract for implementations: entries never change or disappear once appended; {@link
 * #hashReader()} returns, for every complete subtree inside the current size, the RFC 9162 hash of
 * those leaves; a proof asked for a size must use only state committed at that size.
 */
public interface AppendOnlyLog {
  /**
   * Appends entries in order, durably, and returns the index of the first.
   *
   * @param entries each at most {@value EntryBundle#MAX_ENTRY_BYTES} bytes
   * @throws IOException if the store fails; then none of the entries is appended
   */
  long append(List<byte[]> entries) throws IOException;

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
