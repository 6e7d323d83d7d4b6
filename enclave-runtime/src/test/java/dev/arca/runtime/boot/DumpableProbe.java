// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

/**
 * A process for {@link NonDumpableProcessTest}: with argument {@code harden} it makes itself
 * non-dumpable exactly as the runtime does; then it prints {@code ready} and waits to be killed.
 */
public final class DumpableProbe {
  private DumpableProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("harden") && !Hardening.makeNonDumpable()) {
      System.out.println("prctl failed");
      System.exit(3);
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(120_000);
  }
}
