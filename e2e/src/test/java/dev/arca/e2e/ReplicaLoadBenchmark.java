// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import dev.arca.runtime.service.ServiceClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attestations per second with 1, 2 and 3 service replicas on one PostgreSQL, in one run on the
 * container stack of {@link ReplicasIT}: each simulated device attests in a loop (challenge, then
 * attestation with key release) at one replica, the devices spread evenly over the first N
 * replicas. Prints each phase beside the one-replica phase. Not a test: {@code docs/benchmarks.md}
 * gives the command.
 */
public final class ReplicaLoadBenchmark {
  private ReplicaLoadBenchmark() {}

  /** One phase's outcome. */
  record Phase(int replicas, long done, long failed, double seconds, long[] latenciesNanos) {
    double rate() {
      return done / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
  }

  /** Arguments: [devices (default 12)] [seconds per phase (default 20)]. */
  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path dir = Files.createTempDirectory("arca-replica-bench");
    System.setProperty("arca.config.dir", dir.resolve("config").toString());
    try (ContainerStack stack = ContainerStack.start(dir)) {
      Cli cli = new Cli();
      stack.logIn("ops", Map.of("grant_type", "client_credentials"));
      String[] ops = ContainerStack.cliArgs(stack.replicaUrl(1), "ops");
      Files.writeString(dir.resolve("policy.yaml"), ReplicasIT.policy(1, "synthetic"));
      List<String> apply =
          new ArrayList<>(List.of("policy", "apply", dir.resolve("policy.yaml").toString()));
      apply.addAll(List.of(ops));
      cli.ok(apply.toArray(String[]::new));
      ModelPublishing.publishConv2d(cli, dir, "bench", ops);
      List<DevDevice> fleet = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        fleet.add(DevDevice.enrolled(cli, dir.resolve("devices/" + i), ops));
      }
      run(stack, fleet, ContainerStack.REPLICAS, Duration.ofSeconds(10)); // warm-up, all JITs
      List<Phase> phases = new ArrayList<>();
      for (int n = 1; n <= ContainerStack.REPLICAS; n++) {
        phases.add(run(stack, fleet, n, Duration.ofSeconds(seconds)));
      }
      Phase one = phases.get(0);
      System.out.printf(
          Locale.ROOT,
          "%d devices, %d s per phase, %d cores%n| replicas | attestations/s | vs 1 replica | p50 ms"
              + " | p99 ms | failed |%n|---|---|---|---|---|---|%n",
          devices,
          seconds,
          Runtime.getRuntime().availableProcessors());
      for (Phase p : phases) {
        System.out.printf(
            Locale.ROOT,
            "| %d | %.0f | %.2f | %.1f | %.1f | %d |%n",
            p.replicas(),
            p.rate(),
            p.rate() / one.rate(),
            p.percentileMillis(0.50),
            p.percentileMillis(0.99),
            p.failed());
      }
    }
  }

  /** Every device attests in a loop for {@code length} at replica {@code (i mod n) + 1}. */
  static Phase run(ContainerStack stack, List<DevDevice> fleet, int n, Duration length)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(fleet.size());
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + length.toNanos();
    List<Future<List<Long>>> workers = new ArrayList<>();
    for (int i = 0; i < fleet.size(); i++) {
      DevDevice d = fleet.get(i);
      ServiceClient svc = new ServiceClient(URI.create(stack.replicaUrl(i % n + 1)));
      workers.add(
          pool.submit(
              () -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                  long t0 = System.nanoTime();
                  try {
                    d.attest(svc, svc.challenge());
                    latencies.add(System.nanoTime() - t0);
                  } catch (java.io.IOException e) {
                    failed.incrementAndGet();
                  }
                }
                return latencies;
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> w : workers) {
      all.addAll(w.get());
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Phase(
        n, all.size(), failed.get(), seconds, all.stream().mapToLong(Long::longValue).toArray());
  }
}
