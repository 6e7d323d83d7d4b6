// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.InMemoryHashStore;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.tiles.EntryBundle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The reference {@link AppendOnlyLog}, in memory: entries in a list, every complete subtree hash in
 * an {@link InMemoryHashStore}, and a leaf-hash index. Used by tests and benchmarks, and as the
 * oracle a database-backed log must agree with byte for byte.
 *
 * <p>Thread-safe: appends are serialised (a single sequencer), reads see a consistent prefix. Holds
 * at most {@link Integer#MAX_VALUE} entries.
 */
public final class InMemoryLog implements AppendOnlyLog {
  private final List<byte[]> entries = new ArrayList<>();
  private final InMemoryHashStore hashes = new InMemoryHashStore();
  private final Map<ByteBuffer, Long> byLeafHash = new HashMap<>();

  @Override
  public synchronized long append(List<byte[]> batch) {
    for (byte[] e : batch) {
      if (e.length > EntryBundle.MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "entry exceeds " + EntryBundle.MAX_ENTRY_BYTES + " bytes");
      }
    }
    long first = entries.size();
    for (byte[] e : batch) {
      byte[] leafHash = MerkleHashes.leafHash(e);
      long index = hashes.append(leafHash);
      entries.add(e.clone());
      byLeafHash.putIfAbsent(ByteBuffer.wrap(leafHash), index);
    }
    return first;
  }

  /** Appends one entry and returns its index. */
  public long append(byte[] entry) {
    return append(List.of(entry));
  }

  /** Appends an audit entry's leaf bytes and returns its index. */
  public long append(AuditEntry entry) {
    return append(List.of(entry.leafBytes()));
  }

  @Override
  public synchronized long size() {
    return entries.size();
  }

  @Override
  public synchronized List<byte[]> entries(long start, long end) {
    if (start < 0 || start > end || end > entries.size()) {
      throw new IllegalArgumentException("requires 0 <= start <= end <= size()");
    }
    List<byte[]> out = new ArrayList<>((int) (end - start));
    for (long i = start; i < end; i++) {
      out.add(entries.get((int) i).clone());
    }
    return out;
  }

  @Override
  public HashReader hashReader() {
    return hashes;
  }

  @Override
  public synchronized OptionalLong indexOfLeafHash(byte[] leafHash) {
    Long index = byLeafHash.get(ByteBuffer.wrap(leafHash.clone()));
    return index == null ? OptionalLong.empty() : OptionalLong.of(index);
  }
}
