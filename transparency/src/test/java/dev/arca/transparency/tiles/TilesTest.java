// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.transparency.log.InMemoryLog;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.merkle.MerkleProver;
import dev.arca.transparency.merkle.MerkleVerifier;
import dev.arca.transparency.merkle.NodeId;
import dev.arca.transparency.merkle.RootMismatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TilesTest {
  private static final int SIZE = 70_000;
  private static final InMemoryLog LOG = new InMemoryLog();

  @BeforeAll
  static void fill() {
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      batch.add(("entry-" + i).getBytes(StandardCharsets.UTF_8));
    }
    LOG.append(batch);
  }

  @Test
  void indexEncodingFollowsTheSpec() throws TileFormatException {
    assertThat(TilePaths.encodeIndex(1234067)).isEqualTo("x001/x234/067");
    assertThat(TilePaths.encodeIndex(0)).isEqualTo("000");
    assertThat(TilePaths.encodeIndex(1000)).isEqualTo("x001/000");
    for (long n : new long[] {0, 7, 999, 1000, 1234067, Long.MAX_VALUE / 256}) {
      assertThat(TilePaths.decodeIndex(TilePaths.encodeIndex(n))).isEqualTo(n);
    }
    for (String bad : List.of("x000/001", "1/2", "01", "0001", "x1/001", "001/002", "", "x001")) {
      assertThatThrownBy(() -> TilePaths.decodeIndex(bad))
          .as(bad)
          .isInstanceOf(TileFormatException.class);
    }
  }

  @Test
  void pathsRoundTripAndRejectNonCanonicalForms() throws TileFormatException {
    TileId t = new TileId(1, 1234, 17);
    assertThat(t.path()).isEqualTo("tile/1/x001/234.p/17");
    assertThat(TileId.parse(t.path())).isEqualTo(t);
    assertThat(TileId.parse("tile/0/000")).isEqualTo(new TileId(0, 0, 256));
    EntryBundleId b = new EntryBundleId(1234067, 5);
    assertThat(b.path()).isEqualTo("tile/entries/x001/x234/067.p/5");
    assertThat(EntryBundleId.parse(b.path())).isEqualTo(b);
    for (String bad :
        List.of(
            "tile/0/000.p/256",
            "tile/0/000.p/0",
            "tile/0/000.p/07",
            "tile/00/000",
            "tile/8/000",
            "tile/entries/000",
            "tile/0/000/",
            "tiles/0/000")) {
      assertThatThrownBy(() -> TileId.parse(bad)).as(bad).isInstanceOf(TileFormatException.class);
    }
  }

  @Test
  void widthsMatchTheSpecExampleOf70000Entries() {
    assertThat(Tiles.tileAt(0, 272, SIZE).isPartial()).isFalse();
    assertThat(Tiles.tileAt(0, 273, SIZE).width()).isEqualTo(112);
    assertThat(Tiles.tileAt(1, 0, SIZE).isPartial()).isFalse();
    assertThat(Tiles.tileAt(1, 1, SIZE).width()).isEqualTo(17);
    assertThat(Tiles.tileAt(2, 0, SIZE).width()).isEqualTo(1);
    assertThatThrownBy(() -> Tiles.tileAt(0, 274, SIZE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Tiles.tileAt(1, 0, 256).width()).isEqualTo(1);
    assertThat(Tiles.bundleFor(69_999, SIZE)).isEqualTo(new EntryBundleId(273, 112));
  }

  @Test
  void proofsComputedFromTilesEqualProofsFromTheStore() throws Exception {
    for (long n : new long[] {1, 255, 256, 257, 511, 65_536, 65_537, SIZE}) {
      Set<TileId> fetched = new HashSet<>();
      TileHashReader tiles = new TileHashReader(tile -> fetch(tile, n, fetched), n);
      byte[] root = LOG.rootHash(n);
      assertThat(MerkleProver.rootHash(tiles, n)).isEqualTo(root);
      for (long index : new long[] {0, n / 3, n - 1}) {
        List<byte[]> proof = MerkleProver.inclusionProof(tiles, index, n);
        assertThat(proof)
            .usingElementComparator(java.util.Arrays::compare)
            .containsExactlyElementsOf(LOG.inclusionProof(index, n));
        MerkleVerifier.verifyInclusion(
            index, n, MerkleHashes.leafHash(LOG.entries(index, index + 1).get(0)), proof, root);
        List<NodeId> nodes = MerkleProver.inclusionNodes(index, n);
        assertThat(fetched).containsAll(Tiles.tilesFor(nodes, n));
      }
      for (long m : new long[] {1, n / 2 + 1, n}) {
        if (m > n) {
          continue;
        }
        List<byte[]> proof = MerkleProver.consistencyProof(tiles, m, n);
        MerkleVerifier.verifyConsistency(m, n, LOG.rootHash(m), root, proof);
      }
    }
  }

  @Test
  void aTamperedTileMakesTheProofFail() throws Exception {
    long n = SIZE;
    long index = 12_345;
    TileId target = Tiles.tileFor(new NodeId(0, index ^ 1), n);
    TileHashReader tiles =
        new TileHashReader(
            tile -> {
              byte[] content = LOG.tile(tile);
              if (tile.equals(target)) {
                content[(int) ((index ^ 1) % 256) * 32] ^= 1;
              }
              return content;
            },
            n);
    List<byte[]> proof = MerkleProver.inclusionProof(tiles, index, n);
    byte[] leafHash = MerkleHashes.leafHash(LOG.entries(index, index + 1).get(0));
    assertThatThrownBy(
            () -> MerkleVerifier.verifyInclusion(index, n, leafHash, proof, LOG.rootHash(n)))
        .isInstanceOf(RootMismatchException.class);
  }

  @Test
  void tilesOfTheWrongLengthAreRefused() {
    TileHashReader tiles = new TileHashReader(tile -> new byte[31], SIZE);
    assertThatThrownBy(() -> MerkleProver.rootHash(tiles, SIZE)).isInstanceOf(IOException.class);
  }

  @Test
  void entryBundlesRoundTripAndMatchLevelZeroTiles() throws Exception {
    EntryBundleId id = Tiles.bundleFor(SIZE - 1, SIZE);
    byte[] content = LOG.entryBundle(id);
    List<byte[]> entries = EntryBundle.decode(id, content);
    List<byte[]> hashes = Tiles.hashes(id.hashTile(), LOG.tile(id.hashTile()));
    for (int i = 0; i < entries.size(); i++) {
      assertThat(MerkleHashes.leafHash(entries.get(i))).isEqualTo(hashes.get(i));
    }
    assertThatThrownBy(
            () -> EntryBundle.decode(id, java.util.Arrays.copyOf(content, content.length - 1)))
        .isInstanceOf(TileFormatException.class);
    assertThatThrownBy(() -> EntryBundle.decode(new EntryBundleId(id.index(), 111), content))
        .isInstanceOf(TileFormatException.class);
    assertThatThrownBy(() -> EntryBundle.decode(new EntryBundleId(id.index(), 113), content))
        .isInstanceOf(TileFormatException.class);
  }

  /** Serves only tiles that exist at size n, as a log does for a checkpoint of that size. */
  private static byte[] fetch(TileId tile, long n, Set<TileId> fetched) throws IOException {
    assertThat(tile).isEqualTo(Tiles.tileAt(tile.level(), tile.index(), n));
    fetched.add(tile);
    return LOG.tile(tile);
  }
}
