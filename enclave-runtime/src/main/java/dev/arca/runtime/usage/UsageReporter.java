// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.usage;

import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.evidence.usage.UsageKey;
import dev.arca.evidence.usage.UsageReport;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Turns the runtime's {@link UsageCounts} into signed reports and gets them to the service: {@link
 * #cut} ends a period, signs it with the runtime's attested usage key and queues it on disk ({@link
 * UsageQueue}); {@link #upload} sends what is queued, oldest first, and removes each report the
 * service answered for. Not thread-safe: the runtime calls it under its attestation lock.
 */
public final class UsageReporter {
  /** The most reports sent in one upload (the service takes 64). */
  static final int BATCH = 32;

  private final String deviceId;
  private final UsageCounts counts;
  private final UsageQueue queue;

  /** Sends reports to the service: one outcome per report, in order. */
  @FunctionalInterface
  public interface Uploader {
    List<Outcome> upload(List<SignedUsageReport> reports) throws IOException;
  }

  /**
   * What the service did with one report.
   *
   * @param outcome {@code accepted}, {@code duplicate} or {@code rejected}
   * @param reason why it was rejected, else empty
   */
  public record Outcome(String outcome, String reason) {}

  /** What one {@link #upload} did. */
  public record Uploaded(int accepted, int duplicates, List<String> rejections) {
    /** Whether anything was sent. */
    public boolean any() {
      return accepted + duplicates + rejections.size() > 0;
    }
  }

  public UsageReporter(String deviceId, UsageCounts counts, UsageQueue queue) {
    this.deviceId = deviceId;
    this.counts = counts;
    this.queue = queue;
  }

  /** The counts inference adds to. */
  public UsageCounts counts() {
    return counts;
  }

  /** Reports waiting in the queue. */
  public int queued() throws IOException {
    return queue.size();
  }

  /**
   * Ends the current period at {@code now}, and queues its report signed with {@code key}. A period
   * in which nothing was asked or unloaded queues nothing.
   */
  public void cut(UsageKey key, Instant now) throws IOException {
    UsageCounts.Period p = counts.cut(now);
    if (p.isEmpty()) {
      return;
    }
    queue.makeRoom();
    UsageReport report =
        new UsageReport(
            deviceId, key.publicKey(), p.from(), p.to(), p.counts(), p.unloaded(), queue.dropped());
    queue.add(SignedUsageReport.sign(report, key));
  }

  /**
   * Uploads every queued report, in batches, removing each one the service accepted, already had or
   * rejected for good. A failed upload leaves the rest queued for the next attempt.
   *
   * @throws IOException when the service could not be used
   */
  public Uploaded upload(Uploader to) throws IOException {
    int accepted = 0;
    int duplicates = 0;
    List<String> rejections = new java.util.ArrayList<>();
    for (List<UsageQueue.Queued> batch = queue.oldest(BATCH);
        !batch.isEmpty();
        batch = queue.oldest(BATCH)) {
      List<Outcome> outcomes = to.upload(batch.stream().map(UsageQueue.Queued::report).toList());
      if (outcomes.size() != batch.size()) {
        throw new IOException(
            "the service answered "
                + outcomes.size()
                + " outcomes for "
                + batch.size()
                + " reports");
      }
      for (int i = 0; i < batch.size(); i++) {
        Outcome o = outcomes.get(i);
        switch (o.outcome()) {
          case "accepted" -> accepted++;
          case "duplicate" -> duplicates++;
          // rejected, or an outcome this runtime does not know: it would never be accepted
          default -> rejections.add(o.outcome() + ": " + o.reason());
        }
        queue.remove(batch.get(i));
      }
    }
    return new Uploaded(accepted, duplicates, rejections);
  }
}
