// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes tile paths, bundle paths and entry bundle decoding: only {@link TileFormatException} may
 * escape; accepted paths print back to themselves and decoded bundles re-encode to the input.
 */
class TilePathFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(FuzzedDataProvider data) {
    int width = data.consumeInt(1, 256);
    String path = data.consumeString(64);
    byte[] bundle = data.consumeRemainingAsBytes();
    try {
      assertThat(TileId.parse(path).path()).isEqualTo(path);
    } catch (TileFormatException e) {
      // rejected: fine
    }
    try {
      assertThat(EntryBundleId.parse(path).path()).isEqualTo(path);
    } catch (TileFormatException e) {
      // rejected: fine
    }
    try {
      EntryBundleId id = new EntryBundleId(0, width);
      assertThat(EntryBundle.encode(EntryBundle.decode(id, bundle))).isEqualTo(bundle);
    } catch (TileFormatException e) {
      // rejected: fine
    }
  }
}
