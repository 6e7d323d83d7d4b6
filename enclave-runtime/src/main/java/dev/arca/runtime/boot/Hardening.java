// SPDX-License-Identifier: Apache-2.0
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
 * <p>It refuses JVM options that let another party read the heap, or let the heap reach disk: a
 * debug agent, any Java or native agent, the attach mechanism left enabled, heap dumps, commands
 * run on an error, remote JMX and Java Flight Recorder. With {@code allowInsecure} it starts
 * anyway, and the findings become insecure flags the runtime reports in its measurement log (so
 * policy can refuse it). On Linux it then makes the process non-dumpable ({@code
 * prctl(PR_SET_DUMPABLE, 0)}): no core dumps, and no ptrace attach by processes of the same user
 * (the kernel then also hands {@code /proc/<pid>/} to root).
 *
 * <p>Where HotSpot has a flag for a setting, the flag's effective value is checked as well as the
 * arguments, so a setting that did not come from the command line (a {@code -XX:Flags} file, a
 * launcher default, a {@code com.sun.management.config.file}) is still found. The manageable
 * heap-dump flags could be switched on later only through the attach mechanism or JMX, both of
 * which are refused here.
 *
 * <p>Insecure flag ids:
 *
 * <ul>
 *   <li>{@code runtime.debug-agent} — JDWP (any argument naming {@code jdwp}, e.g. {@code
 *       -agentlib:jdwp}, {@code -Xrunjdwp}) or {@code -Xdebug};
 *   <li>{@code runtime.java-agent} — {@code -javaagent}, {@code -agentlib}, {@code -agentpath},
 *       {@code -Xrun<library>};
 *   <li>{@code runtime.heap-dump} — {@code HeapDumpOnOutOfMemoryError}, {@code HeapDumpAfterFullGC}
 *       or {@code HeapDumpBeforeFullGC} on;
 *   <li>{@code runtime.on-error-command} — {@code -XX:OnOutOfMemoryError} or {@code -XX:OnError}
 *       set (a command such as {@code jmap} or {@code jcmd} run against this process);
 *   <li>{@code runtime.jmx-remote} — any {@code com.sun.management.*} property (they start the JMX
 *       agent, whose {@code HotSpotDiagnostic.dumpHeap} writes the heap) or the {@code
 *       ManagementServer} flag on;
 *   <li>{@code runtime.flight-recorder} — {@code -XX:StartFlightRecording} or {@code
 *       -XX:+FlightRecorder};
 *   <li>{@code runtime.attach-enabled} — no {@code -XX:+DisableAttachMechanism};
 *   <li>{@code runtime.dumpable} — prctl unavailable.
 * </ul>
 */
public final class Hardening {
  private static final int PR_SET_DUMPABLE = 4;
  private static final int PR_GET_DUMPABLE = 3;

  private Hardening() {}

  /**
   * What hardening found and did.
   *
   * @param insecureFlags the findings, as stable ids
   * @param nonDumpable the kernel reports the process non-dumpable
   * @param jvmArguments the JVM input arguments that were checked, in order (the runtime measures
   *     them)
   */
  public record Report(List<String> insecureFlags, boolean nonDumpable, List<String> jvmArguments) {
    public Report {
      insecureFlags = List.copyOf(insecureFlags);
      jvmArguments = List.copyOf(jvmArguments);
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
    List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
    List<String> flags = new ArrayList<>(findInsecureOptions(jvmArgs));
    // The VM's own flag values also cover options set where the arguments do not show them
    // (a flags file, a launcher default).
    for (String heapDump :
        List.of("HeapDumpOnOutOfMemoryError", "HeapDumpAfterFullGC", "HeapDumpBeforeFullGC")) {
      if (vmFlag(heapDump).equals("true")) {
        add(flags, "runtime.heap-dump");
      }
    }
    if (!vmFlag("OnOutOfMemoryError").isEmpty() || !vmFlag("OnError").isEmpty()) {
      add(flags, "runtime.on-error-command");
    }
    // Any com.sun.management.* property sets ManagementServer, which starts the JMX agent.
    if (vmFlag("ManagementServer").equals("true")
        || System.getProperties().stringPropertyNames().stream()
            .anyMatch(Hardening::isManagementProperty)) {
      add(flags, "runtime.jmx-remote");
    }
    if (vmFlag("FlightRecorder").equals("true") || !vmFlag("StartFlightRecording").isEmpty()) {
      add(flags, "runtime.flight-recorder");
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
    return new Report(all, nonDumpable, jvmArgs);
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
      if (a.contains("jdwp") || a.equals("-xdebug")) {
        add(flags, "runtime.debug-agent");
      } else if (a.startsWith("-javaagent")
          || a.startsWith("-agentlib")
          || a.startsWith("-agentpath")
          || a.startsWith("-xrun")) {
        add(flags, "runtime.java-agent");
      } else if (a.equals("-xx:+heapdumponoutofmemoryerror")
          || a.equals("-xx:+heapdumpafterfullgc")
          || a.equals("-xx:+heapdumpbeforefullgc")) {
        add(flags, "runtime.heap-dump");
      } else if (hasValue(a, "-xx:onoutofmemoryerror=") || hasValue(a, "-xx:onerror=")) {
        add(flags, "runtime.on-error-command");
      } else if (a.startsWith("-d") && isManagementProperty(raw.substring(2))) {
        add(flags, "runtime.jmx-remote");
      } else if (a.equals("-xx:+flightrecorder") || a.startsWith("-xx:startflightrecording")) {
        add(flags, "runtime.flight-recorder");
      } else if (a.equals("-xx:+disableattachmechanism")) {
        attachDisabled = true;
      }
    }
    if (!attachDisabled) {
      add(flags, "runtime.attach-enabled");
    }
    return flags;
  }

  /** An argument {@code <prefix><value>} with a non-empty value. */
  private static boolean hasValue(String arg, String prefix) {
    return arg.startsWith(prefix) && arg.length() > prefix.length();
  }

  /**
   * A system property that makes the JVM start its management agent: {@code
   * com.sun.management.jmxremote*} and {@code com.sun.management.config.file}, and with them every
   * {@code com.sun.management.*} property (HotSpot sets {@code ManagementServer} for any of them).
   */
  private static boolean isManagementProperty(String property) {
    return property.startsWith("com.sun.management.");
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
