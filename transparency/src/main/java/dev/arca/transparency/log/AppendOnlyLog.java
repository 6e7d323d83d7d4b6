// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import dev.arca.transparency.tiles.EntryBundle;
import java.io.IOException;
import java.util.List;

/**
 * An append-only Merkle log that owns its appends: a single sequencer adds batches in order.
 * Everything else comes from {@link LogReader}.
 */
public interface AppendOnlyLog extends LogReader {
  /**
   * Appends entries in order, durably, and returns the index of the first.
   *
   * @param entries each at most {@value EntryBundle#MAX_ENTRY_BYTES} bytes
   * @throws IOException if the store fails; then none of the entries is appended
   */
  long append(List<byte[]> entries) throws IOException;
}
