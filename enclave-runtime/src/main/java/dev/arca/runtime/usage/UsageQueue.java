// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.runtime.state.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Signed usage reports waiting for upload, one file each in {@code <state>/usage/}, named by a
 * sequence number so they go out oldest first. Bounded: at {@code capacity} the oldest is dropped,
 * and every later report says how many were ({@link #dropped}), so the gap is visible. Reports hold
 * counts only and are signed, so they are stored as they are. Not thread-safe: the runtime uses it
 * under its attestation lock.
 */
public final class UsageQueue {
  /** The default number of reports kept. */
  public static final int DEFAULT_CAPACITY = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".usage.json";

  private final Path dir;
  private final int capacity;
  private long next;
  private long dropped;

  private UsageQueue(Path dir, int capacity, long next) {
    this.dir = dir;
    this.capacity = capacity;
    this.next = next;
  }

  /** The queue in {@code stateDir}, with what an earlier run left in it. */
  public static UsageQueue open(Path stateDir, int capacity) throws IOException {
    Path dir = Files.createDirectories(stateDir.resolve("usage"));
    long next = 0;
    for (Path p : files(dir)) {
      next = Math.max(next, sequence(p) + 1);
    }
    return new UsageQueue(dir, capacity, next);
  }

  /** One queued report and its file. */
  public record Queued(Path file, SignedUsageReport report) {}

  /**
   * Makes room for one more report: drops the oldest while the queue is full. Call it before
   * writing the report that is to say how many were {@link #dropped}.
   */
  public void makeRoom() throws IOException {
    List<Path> queued = files(dir);
    for (int i = 0; i <= queued.size() - capacity; i++) {
      Files.deleteIfExists(queued.get(i));
      dropped++;
    }
  }

  /** Adds a report after the others (call {@link #makeRoom} first). */
  public void add(SignedUsageReport report) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    byte[] json =
        JSON.writeValueAsBytes(
            JSON.createObjectNode()
                .put("report", b64.encodeToString(report.report()))
                .put("signature", b64.encodeToString(report.signature())));
    StateFiles.replace(dir.resolve(String.format("%019d", next++) + SUFFIX), json);
  }

  /**
   * Reports dropped unsent since this queue was opened: each report carries the running total, so
   * the service learns of a gap even when the report that first told of it was dropped too.
   */
  public long dropped() {
    return dropped;
  }

  /** Up to {@code max} queued reports, oldest first. A file that cannot be read is removed. */
  public List<Queued> oldest(int max) throws IOException {
    List<Queued> out = new ArrayList<>();
    for (Path p : files(dir)) {
      if (out.size() == max) {
        break;
      }
      try {
        JsonNode n = JSON.readTree(Files.readAllBytes(p));
        out.add(
            new Queued(
                p,
                new SignedUsageReport(
                    Base64.getDecoder().decode(n.path("report").asText()),
                    Base64.getDecoder().decode(n.path("signature").asText()))));
      } catch (IOException | IllegalArgumentException e) {
        Files.deleteIfExists(p); // half-written by a crash or altered: it could never verify
      }
    }
    return out;
  }

  /** Removes a report the service answered for. */
  public void remove(Queued q) throws IOException {
    Files.deleteIfExists(q.file());
  }

  /** How many reports wait. */
  public int size() throws IOException {
    return files(dir).size();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  private static long sequence(Path p) {
    String n = p.getFileName().toString();
    try {
      return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
