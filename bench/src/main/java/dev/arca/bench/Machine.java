// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a figure was measured on: the CPU, the cores the JVM sees, the memory, the JDK and the OS.
 * Read from {@code /proc} on Linux; elsewhere the fields it cannot read say {@code unknown}.
 */
public record Machine(String cpu, int cores, long memoryMiB, String jdk, String os) {

  /** This machine. */
  public static Machine current() {
    return new Machine(
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        totalMemoryMiB(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
  }

  /** The one-, five- and fifteen-minute load averages, e.g. {@code 1.52 1.10 0.87}. */
  public static String loadAverage() {
    String line = firstLine(Path.of("/proc/loadavg"), "");
    String[] f = line.split(" ", -1);
    if (f.length < 3) {
      return String.format(
          Locale.ROOT,
          "%.2f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long totalMemoryMiB() {
    String total = firstLine(Path.of("/proc/meminfo"), "MemTotal: 0 kB");
    String[] f = total.trim().split("\\s+", -1);
    try {
      return Long.parseLong(f[1]) / 1024;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static String firstLine(Path file, String otherwise) {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().orElse(otherwise);
    } catch (IOException e) {
      return otherwise;
    }
  }
}
