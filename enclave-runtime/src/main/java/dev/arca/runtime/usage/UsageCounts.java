// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.usage;

import dev.arca.evidence.usage.UsageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime served and refused since the last {@link #cut} (a usage report's period) and
 * since it started ({@link #totals}, for its metrics), per model, version and data class, and the
 * versions it stopped serving in the period. Only counts: nothing of a request's inputs or outputs.
 * At most {@link UsageReport#MAX_COUNTS} lines; past that, requests are counted on the {@link
 * UsageReport#UNLISTED} line, so a flood of invented names cannot grow memory. Thread-safe.
 */
public final class UsageCounts {
  private record Key(String modelId, long version, String dataClass) {}

  private static final Key OVERFLOW = new Key(UsageReport.UNLISTED, 0, UsageReport.UNLISTED);

  private final Map<Key, long[]> counts = new LinkedHashMap<>();
  // Since the runtime started, never cut: what its metrics show.
  private final Map<Key, long[]> totals = new LinkedHashMap<>();
  private final List<UsageReport.Unloaded> unloaded = new ArrayList<>();
  private Instant since;

  /** Counting starts at {@code since}. */
  public UsageCounts(Instant since) {
    this.since = since;
  }

  /**
   * A period's counts: from, to, the lines (empty when nothing was asked) and the versions unloaded
   * in it.
   */
  public record Period(
      Instant from,
      Instant to,
      List<UsageReport.Count> counts,
      List<UsageReport.Unloaded> unloaded) {
    /** Whether nothing happened in the period. */
    public boolean isEmpty() {
      return counts.isEmpty() && unloaded.isEmpty();
    }
  }

  /**
   * Counts one request.
   *
   * @param modelId the model served, or {@link UsageReport#UNLISTED}
   * @param version the version that answered or would have (0 when none)
   * @param dataClass the data class asked for when a lease of the model covers it, else {@link
   *     UsageReport#UNLISTED}
   * @param served whether the model answered
   */
  public synchronized void count(String modelId, long version, String dataClass, boolean served) {
    Key k = new Key(modelId, version, dataClass);
    add(counts, k, served);
    add(totals, k, served);
  }

  private static void add(Map<Key, long[]> into, Key k, boolean served) {
    long[] c = into.get(k);
    if (c == null) {
      c =
          into.computeIfAbsent(
              into.size() < UsageReport.MAX_COUNTS - 1 ? k : OVERFLOW, x -> new long[2]);
    }
    c[served ? 0 : 1]++;
  }

  /** Every request since the runtime started, per model, version and data class. */
  public synchronized List<UsageReport.Count> totals() {
    return lines(totals);
  }

  private static List<UsageReport.Count> lines(Map<Key, long[]> from) {
    List<UsageReport.Count> lines = new ArrayList<>();
    from.forEach(
        (k, c) ->
            lines.add(new UsageReport.Count(k.modelId(), k.version(), k.dataClass(), c[0], c[1])));
    return lines;
  }

  /**
   * Notes that {@code modelId} v{@code version} stopped being served at {@code at}, and why (see
   * {@link UsageReport.Unloaded}). Past {@link UsageReport#MAX_UNLOADED} in one period, more are
   * not noted.
   */
  public synchronized void unloaded(String modelId, long version, String reason, Instant at) {
    if (unloaded.size() < UsageReport.MAX_UNLOADED) {
      unloaded.add(new UsageReport.Unloaded(modelId, version, at, reason));
    }
  }

  /** Ends the current period at {@code to}: returns its counts and starts the next one. */
  public synchronized Period cut(Instant to) {
    Period p =
        new Period(since, to.isBefore(since) ? since : to, lines(counts), List.copyOf(unloaded));
    counts.clear();
    unloaded.clear();
    since = p.to();
    return p;
  }
}
