// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A configfs-tsm-shaped directory and the kernel's part of it, for tests: {@code mkdir} of a report
 * directory fills it with {@code provider}, {@code generation}, {@code inblob}, {@code privlevel}
 * and {@code auxblob} files and makes {@code outblob} a named pipe. A provider thread blocks until
 * the attester opens {@code outblob} for reading (as the kernel generates the report on that read),
 * then reads {@code inblob}, advances {@code generation} by the attester's writes (plus {@code
 * extraWrites}, a concurrent writer), and writes what {@link Provider} makes of the inblob.
 * Deterministic: the pipe orders the provider after the attester's writes.
 */
final class FakeTsm implements ReportDirectories {

  /** Makes the outblob from the inblob, as the platform would. */
  interface Provider {
    byte[] outblob(byte[] inblob) throws Exception;
  }

  final Path root;
  private final String providerName;
  private final Provider provider;
  private final int extraWrites;
  private final Map<Path, Thread> serving = new ConcurrentHashMap<>();
  private final Map<Path, AtomicBoolean> opened = new ConcurrentHashMap<>();
  final List<byte[]> inblobs = new ArrayList<>();
  final AtomicInteger created = new AtomicInteger();

  FakeTsm(Path root, String providerName, int extraWrites, Provider provider) throws IOException {
    this.root = root;
    this.providerName = providerName;
    this.provider = provider;
    this.extraWrites = extraWrites;
    Files.createDirectories(root.resolve("report"));
  }

  @Override
  public void create(Path dir) throws IOException {
    Files.createDirectory(dir);
    created.incrementAndGet();
    Files.writeString(dir.resolve("provider"), providerName + "\n");
    Files.writeString(dir.resolve("generation"), "0\n");
    Files.createFile(dir.resolve("inblob"));
    Files.createFile(dir.resolve("privlevel"));
    Files.createFile(dir.resolve("auxblob"));
    Path outblob = dir.resolve("outblob");
    try {
      Process p = new ProcessBuilder("mkfifo", outblob.toString()).start();
      if (p.waitFor() != 0) {
        throw new IOException("mkfifo failed for " + outblob);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    AtomicBoolean readerCame = new AtomicBoolean();
    opened.put(dir, readerCame);
    Thread t = new Thread(() -> serve(dir, readerCame), "fake-tsm-provider");
    t.setDaemon(true);
    serving.put(dir, t);
    t.start();
  }

  private void serve(Path dir, AtomicBoolean readerCame) {
    try (OutputStream out = new FileOutputStream(dir.resolve("outblob").toFile())) {
      readerCame.set(true);
      byte[] inblob = Files.readAllBytes(dir.resolve("inblob"));
      int writes = inblob.length > 0 ? 1 : 0;
      writes += Files.size(dir.resolve("privlevel")) > 0 ? 1 : 0;
      Files.writeString(dir.resolve("generation"), (writes + extraWrites) + "\n");
      if (inblob.length > 0) {
        synchronized (inblobs) {
          inblobs.add(inblob);
        }
        out.write(provider.outblob(inblob));
      }
    } catch (Exception e) {
      // The attester sees a short or empty outblob; the test asserts on what it reports.
    }
  }

  /** Releases a provider still waiting for a reader, then removes the directory like rmdir. */
  @Override
  public void remove(Path dir) throws IOException {
    Thread t = serving.remove(dir);
    if (t != null && !opened.remove(dir).get()) {
      // The attester never read outblob: be the reader the provider thread waits for.
      try (InputStream drain = new FileInputStream(dir.resolve("outblob").toFile())) {
        byte[] buf = new byte[4096];
        while (drain.read(buf) != -1) {
          // discard
        }
      }
    }
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Report directories left behind (the attester must remove each it creates). */
  long leftOver() throws IOException {
    try (var dirs = Files.list(root.resolve("report"))) {
      return dirs.count();
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
