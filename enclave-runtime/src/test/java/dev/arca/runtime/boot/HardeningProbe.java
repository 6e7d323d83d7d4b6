// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;

/**
 * A process for {@link HardeningProcessTest}: calls {@link Hardening#apply} as the runtime does at
 * boot and reports the outcome on stdout and in its exit code.
 *
 * <p>Arguments: {@code strict} or {@code insecure} (the {@code allowInsecure} argument), then
 * optionally {@code gc}: after hardening, put {@link #SECRET} on the heap and run a full GC.
 *
 * <p>Exit 0 and {@code started <flag,...>} when hardening lets it start; exit {@value #REFUSED} and
 * {@code refused <message>} when hardening refuses.
 */
public final class HardeningProbe {
  /** Exit code of a refused start. */
  public static final int REFUSED = 3;

  /** Stands in for a key: only ever on the heap after hardening let the process start. */
  public static final String SECRET = "arca-probe-secret-6b1f0c2e9d";

  private HardeningProbe() {}

  public static void main(String[] args) throws Exception {
    boolean allowInsecure = args.length > 0 && args[0].equals("insecure");
    boolean gc = args.length > 1 && args[1].equals("gc");
    Hardening.Report report;
    try {
      report = Hardening.apply(allowInsecure);
    } catch (InsecureRuntimeException e) {
      System.out.println("refused " + e.getMessage());
      System.out.flush();
      System.exit(REFUSED);
      return;
    }
    System.out.println("started " + String.join(",", report.insecureFlags()));
    if (gc) {
      byte[] secret = SECRET.getBytes(StandardCharsets.US_ASCII);
      try {
        System.gc();
      } finally {
        Reference.reachabilityFence(secret);
      }
      System.out.println("gc done");
    }
    System.out.flush();
  }
}
