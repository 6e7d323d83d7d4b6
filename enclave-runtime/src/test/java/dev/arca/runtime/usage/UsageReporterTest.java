// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.evidence.usage.UsageKey;
import dev.arca.evidence.usage.UsageReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's side of usage reports: counting, the bounded queue on disk, and uploading. */
class UsageReporterTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path state;

  private final UsageKey key = UsageKey.derivedFrom(new byte[32]);

  /** A service that keeps every report it verifies and answers as the real one does. */
  private static final class Receiver implements UsageReporter.Uploader {
    final List<UsageReport> received = new ArrayList<>();
    final List<String> digests = new ArrayList<>();
    boolean down;

    @Override
    public List<UsageReporter.Outcome> upload(List<SignedUsageReport> reports) throws IOException {
      if (down) {
        throw new IOException("connection refused");
      }
      List<UsageReporter.Outcome> out = new ArrayList<>();
      for (SignedUsageReport r : reports) {
        String digest = java.util.HexFormat.of().formatHex(r.digest());
        try {
          UsageReport report = r.verified();
          if (digests.contains(digest)) {
            out.add(new UsageReporter.Outcome("duplicate", ""));
          } else {
            digests.add(digest);
            received.add(report);
            out.add(new UsageReporter.Outcome("accepted", ""));
          }
        } catch (dev.arca.evidence.usage.UsageReportException e) {
          out.add(new UsageReporter.Outcome("rejected", e.getMessage()));
        }
      }
      return out;
    }
  }

  private UsageReporter reporter(int capacity) throws IOException {
    return new UsageReporter("clinic-7", new UsageCounts(T0), UsageQueue.open(state, capacity));
  }

  @Test
  void reportsQueuedDuringAnOutageArriveOnceInOrderAfterIt() throws Exception {
    UsageReporter usage = reporter(100);
    Receiver service = new Receiver();
    service.down = true;
    for (int minute = 1; minute <= 3; minute++) {
      usage.counts().count("triage", 2, "phi", true);
      usage.counts().count("triage", 2, "phi", true);
      usage.counts().count("triage", 2, UsageReport.UNLISTED, false);
      usage.cut(key, T0.plusSeconds(60L * minute));
      assertThatThrownBy(() -> usage.upload(service)).isInstanceOf(IOException.class);
    }
    assertThat(usage.queued()).isEqualTo(3);

    service.down = false;
    UsageReporter.Uploaded sent = usage.upload(service);

    assertThat(sent.accepted()).isEqualTo(3);
    assertThat(usage.queued()).isZero();
    assertThat(service.received)
        .extracting(UsageReport::from)
        .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(service.received.get(0).counts())
        .containsExactly(
            new UsageReport.Count("triage", 2, "phi", 2, 0),
            new UsageReport.Count("triage", 2, UsageReport.UNLISTED, 0, 1));
    assertThat(usage.upload(service).any()).isFalse();
  }

  @Test
  void reportsLeftByAnEarlierRunAreSentAfterARestart() throws Exception {
    UsageReporter before = reporter(100);
    before.counts().count("triage", 2, "phi", true);
    before.cut(key, T0.plusSeconds(30));

    UsageReporter after = reporter(100);
    after.counts().count("triage", 3, "phi", true);
    after.cut(key, T0.plusSeconds(90));
    Receiver service = new Receiver();
    after.upload(service);

    assertThat(service.received)
        .extracting(r -> r.counts().get(0).version())
        .containsExactly(2L, 3L);
  }

  @Test
  void aVersionUnloadedWithoutARequestIsStillReported() throws Exception {
    UsageReporter usage = reporter(100);
    usage.counts().unloaded("triage", 2, "revoked", T0.plusSeconds(10));
    usage.cut(key, T0.plusSeconds(60));
    Receiver service = new Receiver();
    usage.upload(service);

    assertThat(service.received).hasSize(1);
    assertThat(service.received.get(0).counts()).isEmpty();
    assertThat(service.received.get(0).unloaded())
        .containsExactly(new UsageReport.Unloaded("triage", 2, T0.plusSeconds(10), "revoked"));
  }

  @Test
  void aPeriodWithoutRequestsQueuesNothing() throws Exception {
    UsageReporter usage = reporter(100);
    usage.cut(key, T0.plusSeconds(60));
    assertThat(usage.queued()).isZero();
  }

  @Test
  void aFullQueueDropsTheOldestAndTheNextReportSaysHowMany() throws Exception {
    UsageReporter usage = reporter(2);
    for (int i = 1; i <= 4; i++) {
      usage.counts().count("triage", i, "phi", true);
      usage.cut(key, T0.plusSeconds(i));
    }
    usage.counts().count("triage", 5, "phi", true);
    usage.cut(key, T0.plusSeconds(5));
    Receiver service = new Receiver();
    usage.upload(service);

    assertThat(service.received)
        .extracting(r -> r.counts().get(0).version())
        .containsExactly(4L, 5L);
    assertThat(service.received).extracting(UsageReport::dropped).containsExactly(2L, 3L);
  }

  @Test
  void aReportTheServiceRejectsLeavesTheQueueAndOneItHadIsNotSentAgain() throws Exception {
    UsageReporter usage = reporter(100);
    usage.counts().count("triage", 2, "phi", true);
    usage.cut(key, T0.plusSeconds(60));
    Path file;
    try (var files = Files.list(state.resolve("usage"))) {
      file = files.findFirst().orElseThrow();
    }
    // A report altered on disk no longer verifies: the service rejects it and it is not retried.
    Files.writeString(
        file,
        Files.readString(file).replaceFirst("\"signature\":\"[A-Za-z0-9+/]", "\"signature\":\"A"));
    Receiver service = new Receiver();

    UsageReporter.Uploaded sent = usage.upload(service);

    assertThat(sent.rejections()).hasSize(1);
    assertThat(usage.queued()).isZero();
    assertThat(service.received).isEmpty();
  }

  @Test
  void inventedNamesCannotGrowTheCountsPastTheirBound() {
    UsageCounts counts = new UsageCounts(T0);
    for (int i = 0; i < UsageReport.MAX_COUNTS * 3; i++) {
      counts.count("model-" + i, 1, "phi", false);
    }
    UsageCounts.Period p = counts.cut(T0.plusSeconds(1));
    assertThat(p.counts()).hasSize(UsageReport.MAX_COUNTS);
    assertThat(p.counts().get(p.counts().size() - 1))
        .isEqualTo(
            new UsageReport.Count(
                UsageReport.UNLISTED,
                0,
                UsageReport.UNLISTED,
                0,
                UsageReport.MAX_COUNTS * 3L - (UsageReport.MAX_COUNTS - 1)));
  }
}
