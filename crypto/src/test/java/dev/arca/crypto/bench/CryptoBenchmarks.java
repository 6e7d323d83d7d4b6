// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bench;

import dev.arca.bench.Figure;
import dev.arca.crypto.seal.PlaintextCheck;
import dev.arca.crypto.seal.SealedModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The crypto module's benchmark, one command (docs/benchmarks.md, "## crypto"):
 *
 * <pre>
 * ./mvnw -B -q -pl crypto test-compile exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.arca.crypto.bench.CryptoBenchmarks"
 * </pre>
 *
 * Runs {@link OpenBenchmark} and {@link SignatureVerifyBenchmark} with JMH in forked JVMs, prints
 * the open/raw ratio (target at least 0.8) and the BC/SunEC verify ratios, then runs {@link
 * HeapProbe} in a JVM capped at 32 MiB of heap (target: less than 16 MiB extra heap).
 */
public final class CryptoBenchmarks {
  private CryptoBenchmarks() {}

  public static void main(String[] args) throws Exception {
    // Other projects' JMH runs may hold JMH's global lock on a shared machine.
    System.setProperty("jmh.ignoreLock", "true");
    System.out.println(machine());
    Options open =
        new OptionsBuilder()
            .include(OpenBenchmark.class.getName())
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(3))
            .jvmArgs("-Xmx512m", "-XX:MaxDirectMemorySize=600m")
            .build();
    Collection<RunResult> openResults = new Runner(open).run();
    double aeadOnly = score(openResults, "openAeadOnly", null);
    double sha = score(openResults, "openWithSha256", null);
    double raw = score(openResults, "rawJdkAesGcm", null);
    double mib = OpenBenchmark.SIZE / 1048576.0;
    System.out.printf(
        Locale.ROOT,
        "%nopen (AEAD_ONLY)  %.1f ms = %.0f MiB/s%nopen (SHA256)     %.1f ms = %.0f MiB/s%n"
            + "raw JDK AES-GCM   %.1f ms = %.0f MiB/s%n",
        aeadOnly,
        mib / aeadOnly * 1000,
        sha,
        mib / sha * 1000,
        raw,
        mib / raw * 1000);
    System.out.printf(
        Locale.ROOT,
        "RATIO open(AEAD_ONLY)/raw throughput = %.2f (target >= 0.80); open(SHA256)/raw = %.2f%n",
        raw / aeadOnly,
        raw / sha);
    figure(
        "open 256 MiB (AEAD_ONLY)",
        aeadOnly,
        "ms",
        "raw JDK AES-GCM",
        aeadOnly / raw,
        "ratio<=1.25");
    figure("open 256 MiB (SHA256)", sha, "ms", "raw JDK AES-GCM", sha / raw, "-");

    interleaved();

    Options sig =
        new OptionsBuilder()
            .include(SignatureVerifyBenchmark.class.getName())
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(2))
            .build();
    Collection<RunResult> sigResults = new Runner(sig).run();
    for (String alg : new String[] {"ECDSA_P256", "ED25519"}) {
      double arca = score(sigResults, "verify", alg + "/Arca");
      double bc = score(sigResults, "verify", alg + "/BC");
      double sun = score(sigResults, "verify", alg + "/SunEC");
      double tink = score(sigResults, "verify", alg + "/Tink");
      System.out.printf(
          Locale.ROOT,
          "%s verify/s: Arca %.0f, BC %.0f, SunEC %.0f, Tink %.0f; RATIO BC/SunEC = %.1f,"
              + " Arca/SunEC = %.1f%n",
          alg,
          arca,
          bc,
          sun,
          tink,
          bc / sun,
          arca / sun);
      figure(alg + " verify (Arca)", arca, "ops/s", "Bouncy Castle", bc / arca, "-");
    }

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx32m");
    cmd.add("-XX:MaxDirectMemorySize=300m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HeapProbe.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println(line);
      }
    }
    int probe = p.waitFor();
    System.out.println(
        "heap-probe exit code " + probe + " (0 = all opens completed in a 32 MiB heap)");
    figure("opens in a 32 MiB heap (exit code)", probe, "", "-", Double.NaN, "value<=0");
  }

  private static void figure(
      String name, double value, String unit, String baseline, double ratio, String goal) {
    Figure.of(name, value, unit, baseline, ratio, goal).print(); // read by ./arca bench
  }

  /**
   * Open and raw decryption alternated in this JVM, 9 pairs after 3 warm-up pairs: the median of
   * per-pair ratios is robust to other load on a shared machine, which JMH's back-to-back runs are
   * not.
   */
  private static void interleaved() throws Exception {
    BenchFixtures fx = new BenchFixtures(OpenBenchmark.SIZE);
    ByteBuffer out = ByteBuffer.allocateDirect((int) OpenBenchmark.SIZE);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      long t0 = System.nanoTime();
      out.clear();
      SealedModel.open(fx.sealed, fx.ring, fx.dataKey, out, PlaintextCheck.AEAD_ONLY);
      long t1 = System.nanoTime();
      fx.rawDecrypt(out);
      long t2 = System.nanoTime();
      if (i >= 3) {
        ratios.add((double) (t2 - t1) / (t1 - t0));
      }
    }
    fx.delete();
    Collections.sort(ratios);
    System.out.printf(
        Locale.ROOT,
        "RATIO (interleaved, median of %d pairs) open(AEAD_ONLY)/raw throughput = %.2f"
            + " (min %.2f, max %.2f)%n",
        ratios.size(),
        ratios.get(ratios.size() / 2),
        ratios.get(0),
        ratios.get(ratios.size() - 1));
    double median = ratios.get(ratios.size() / 2);
    figure(
        "open (AEAD_ONLY), interleaved",
        1 / median,
        "x raw",
        "raw JDK AES-GCM",
        1 / median,
        "ratio<=1.25");
  }

  private static double score(Collection<RunResult> results, String method, String params) {
    for (RunResult r : results) {
      String label = r.getPrimaryResult().getLabel();
      String bench = r.getParams().getBenchmark();
      if (!bench.endsWith("." + method)) {
        continue;
      }
      if (params != null) {
        String[] ap = params.split("/", -1);
        if (!ap[0].equals(r.getParams().getParam("algorithm"))
            || !ap[1].equals(r.getParams().getParam("provider"))) {
          continue;
        }
      }
      if (label != null) {
        return r.getPrimaryResult().getScore();
      }
    }
    throw new IllegalStateException("no result for " + method + " " + params);
  }

  private static String machine() throws Exception {
    String cpu = "unknown CPU";
    Path info = Path.of("/proc/cpuinfo");
    if (Files.isReadable(info)) {
      for (String l : Files.readAllLines(info)) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
    }
    return String.format(
        "machine: %s, %d cores, %s %s, %s %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }
}
