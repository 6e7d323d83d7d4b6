package dev.arca.runtime.boot;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hardens the runtime's own process at start, before any key or model is in memory.
 *
 * <p>It refuses JVM options that let another party read the heap: a JDWP debug agent, any {@code
 * -javaagent}/{@code -agentlib}/{@code -agentpath}, the attach mechanism left enabled, and heap
 * dumps on out-of-memory. With {@code allowInsecure} it starts anyway, and the findings become
 * insecure flags the runtime reports in its measurement log (so policy can refuse it). On Linux it
 * then makes the process non-dumpable ({@code prctl(PR_SET_DUMPABLE, 0)}): no core dumps, and no
 * ptrace attach by processes of the same user (the kernel then also hands {@code /proc/<pid>/} to
 * root). The JVM's flag values are checked as well as its arguments, so a heap-dump or attach
 * setting that did not come from the command line is still found.
 *
 * <p>Insecure flag ids: {@code runtime.debug-agent} (JDWP), {@code runtime.java-agent} ({@code
 * -javaagent}, {@code -agentlib}, {@code -agentpath}), {@code runtime.heap-dump}, {@code
 * runtime.attach-enabled} (no {@code -XX:+DisableAttachMechanism}), {@code runtime.dumpable} (prctl
 * unavailable).
 */
public final class Hardening {
  private static final int PR_SET_DUMPABLE = 4;
  private static final int PR_GET_DUMPABLE = 3;

  private Hardening() {}

  /** What hardening found and did. */
  public record Report(List<String> insecureFlags, boolean nonDumpable) {
    public Report {
      insecureFlags = List.copyOf(insecureFlags);
    }

    /** True when nothing insecure was found and the process is non-dumpable. */
    public boolean secure() {
      return insecureFlags.isEmpty() && nonDumpable;
    }
  }

  /**
   * Hardens this process.
   *
   * @param allowInsecure start even when insecure options are found (they are reported)
   * @throws InsecureRuntimeException when insecure options are found and not allowed
   */
  public static Report apply(boolean allowInsecure) throws InsecureRuntimeException {
    List<String> flags =
        new ArrayList<>(
            findInsecureOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    // The VM's own flag values also cover options set where the arguments do not show them
    // (a flags file, a launcher default).
    if (vmFlag("HeapDumpOnOutOfMemoryError").equals("true")) {
      add(flags, "runtime.heap-dump");
    }
    if (vmFlag("DisableAttachMechanism").equals("true")) {
      flags.remove("runtime.attach-enabled");
    } else {
      add(flags, "runtime.attach-enabled");
    }
    if (!flags.isEmpty() && !allowInsecure) {
      throw new InsecureRuntimeException(
          "refusing to start: "
              + String.join(", ", flags)
              + ". Remove these JVM options, or pass --insecure to start anyway"
              + " (the runtime then attests as insecure).");
    }
    boolean nonDumpable = makeNonDumpable();
    List<String> all = new ArrayList<>(flags);
    if (!nonDumpable) {
      all.add("runtime.dumpable");
    }
    return new Report(all, nonDumpable);
  }

  /**
   * The insecure options among JVM arguments, as stable flag ids.
   *
   * @param jvmArgs the JVM's input arguments
   */
  public static List<String> findInsecureOptions(List<String> jvmArgs) {
    List<String> flags = new ArrayList<>();
    boolean attachDisabled = false;
    for (String raw : jvmArgs) {
      String a = raw.toLowerCase(Locale.ROOT);
      if (a.contains("jdwp")) {
        add(flags, "runtime.debug-agent");
      } else if (a.startsWith("-javaagent")
          || a.startsWith("-agentlib")
          || a.startsWith("-agentpath")) {
        add(flags, "runtime.java-agent");
      } else if (a.equals("-xx:+heapdumponoutofmemoryerror")) {
        add(flags, "runtime.heap-dump");
      } else if (a.equals("-xx:+disableattachmechanism")) {
        attachDisabled = true;
      }
    }
    if (!attachDisabled) {
      add(flags, "runtime.attach-enabled");
    }
    return flags;
  }

  /** A HotSpot flag's value, or "" when the VM does not have it. */
  private static String vmFlag(String name) {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot == null) {
      return "";
    }
    try {
      return hotspot.getVMOption(name).getValue();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static void add(List<String> flags, String flag) {
    if (!flags.contains(flag)) {
      flags.add(flag);
    }
  }

  /** Calls prctl(PR_SET_DUMPABLE, 0) on Linux; true when the process is then non-dumpable. */
  static boolean makeNonDumpable() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      LibC libc = Native.load("c", LibC.class);
      libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
      return libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  /** The libc function this class needs. */
  interface LibC extends Library {
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }
}
