// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.arca.crypto.seal.OpenedModel;
import dev.arca.crypto.seal.PlaintextCheck;
import dev.arca.crypto.seal.SealedModel;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap used by {@code open} of a sealed 256 MiB model, measured in a JVM of its own (started by
 * {@link CryptoBenchmarks} with a small {@code -Xmx}): the output is a direct buffer, so every heap
 * byte is "extra". Prints the largest heap occupancy left after any GC during the open (live data)
 * and the baseline before it; that the open completes at all under the cap bounds the peak.
 */
public final class HeapProbe {
  private HeapProbe() {}

  public static void main(String[] args) throws Exception {
    BenchFixtures fx = new BenchFixtures(OpenBenchmark.SIZE);
    ByteBuffer out = ByteBuffer.allocateDirect((int) OpenBenchmark.SIZE);
    AtomicLong maxAfterGc = new AtomicLong();
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (n, h) -> {
                if (!n.getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e :
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                  if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                  }
                }
                maxAfterGc.accumulateAndGet(used, Math::max);
              },
              null,
              null);
    }
    System.gc();
    Thread.sleep(200);
    long base = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    maxAfterGc.set(0);
    for (int i = 0; i < 3; i++) {
      out.clear();
      OpenedModel m =
          SealedModel.open(fx.sealed, fx.ring, fx.dataKey, out, PlaintextCheck.AEAD_ONLY);
      if (m.plaintext().remaining() != OpenBenchmark.SIZE) {
        throw new AssertionError("short open");
      }
      m.close();
    }
    Thread.sleep(200);
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.printf(
        "heap-probe: opened 3 x %d MiB into a direct buffer with -Xmx%d MiB; heap before open"
            + " %.1f MiB; max heap live after any GC during open %.1f MiB (extra %.1f MiB);"
            + " GCs=%d%n",
        OpenBenchmark.SIZE >> 20,
        maxHeap >> 20,
        base / 1048576.0,
        maxAfterGc.get() / 1048576.0,
        (maxAfterGc.get() - base) / 1048576.0,
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionCount)
            .sum());
    fx.delete();
  }
}
