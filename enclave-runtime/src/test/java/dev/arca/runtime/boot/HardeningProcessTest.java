// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Hardening#apply} in a real child JVM started with each option that lets the heap (and so
 * the unsealed model and keys) reach disk or another party. Every child also gets {@code
 * -XX:+DisableAttachMechanism}, so the option under test must be the one and only finding; the
 * control child with nothing else must start.
 */
class HardeningProcessTest {
  private static final String ATTACH_OFF = "-XX:+DisableAttachMechanism";
  private static final Pattern FLAG_ID = Pattern.compile("runtime\\.[a-z-]+");

  @TempDir static Path shared;
  @TempDir Path dir;

  /** A finished child: its exit code and what it printed. */
  private record Outcome(int exit, String stdout, String stderr) {
    /** The insecure-flag ids named on its stdout. */
    Set<String> ids() {
      Set<String> ids = new TreeSet<>();
      Matcher m = FLAG_ID.matcher(stdout);
      while (m.find()) {
        ids.add(m.group());
      }
      return ids;
    }
  }

  static Stream<List<String>> heapDumpOptions() throws IOException {
    Path flagsFile = Files.writeString(shared.resolve("hotspotrc"), "+HeapDumpBeforeFullGC\n");
    return Stream.of(
        List.of("-XX:+HeapDumpAfterFullGC"),
        List.of("-XX:+HeapDumpAfterFullGC", "-XX:HeapDumpPath=" + shared.resolve("dumps")),
        List.of("-XX:+HeapDumpBeforeFullGC"),
        // A flags file sets the VM flag without it appearing among the input arguments.
        List.of("-XX:Flags=" + flagsFile));
  }

  @ParameterizedTest
  @MethodSource("heapDumpOptions")
  void heapDumpsAfterOrBeforeAFullGcAreRefused(List<String> options) throws Exception {
    assertRefusedWith(options, "runtime.heap-dump");
  }

  static Stream<List<String>> onErrorCommands() {
    return Stream.of(
        List.of("-XX:OnOutOfMemoryError=jmap -dump:file=h.hprof %p"),
        List.of("-XX:OnError=jcmd %p GC.heap_dump h.hprof"));
  }

  @ParameterizedTest
  @MethodSource("onErrorCommands")
  void commandsRunOnAnErrorAreRefused(List<String> options) throws Exception {
    assertRefusedWith(options, "runtime.on-error-command");
  }

  static Stream<List<String>> jmxOptions() throws IOException {
    Path mgmt =
        Files.writeString(
            shared.resolve("management.properties"),
            """
            com.sun.management.jmxremote.port=0
            com.sun.management.jmxremote.authenticate=false
            com.sun.management.jmxremote.ssl=false
            """);
    return Stream.of(
        List.of("-Dcom.sun.management.jmxremote"),
        List.of(
            "-Dcom.sun.management.jmxremote.port=0",
            "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false"),
        // The remote connector configured in a file: no jmxremote option on the command line.
        List.of("-Dcom.sun.management.config.file=" + mgmt));
  }

  @ParameterizedTest
  @MethodSource("jmxOptions")
  void jmxRemoteIsRefused(List<String> options) throws Exception {
    assertRefusedWith(options, "runtime.jmx-remote");
  }

  static Stream<List<String>> flightRecorderOptions() {
    return Stream.of(
        List.of("-XX:+FlightRecorder"),
        List.of("-XX:StartFlightRecording=filename=" + shared.resolve("r.jfr")));
  }

  @ParameterizedTest
  @MethodSource("flightRecorderOptions")
  void flightRecorderIsRefused(List<String> options) throws Exception {
    assertRefusedWith(options, "runtime.flight-recorder");
  }

  static Stream<List<String>> debugOptions() {
    return Stream.of(
        List.of("-Xdebug"),
        List.of("-Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0"));
  }

  @ParameterizedTest
  @MethodSource("debugOptions")
  void xdebugAndXrunjdwpAreRefused(List<String> options) throws Exception {
    assertRefusedWith(options, "runtime.debug-agent");
  }

  /** The JDK's own JVMTI library that loads Java agents, given by path. */
  @Test
  void anAgentpathIsRefused() throws Exception {
    Path instrument =
        Path.of(System.getProperty("java.home"), "lib", System.mapLibraryName("instrument"));
    assertRefusedWith(
        List.of("-agentpath:" + instrument + "=" + noopAgentJar(dir)), "runtime.java-agent");
  }

  private void assertRefusedWith(List<String> options, String id) throws Exception {
    List<String> jvm = new ArrayList<>(options);
    jvm.add(ATTACH_OFF);
    Outcome o = run(jvm, "strict");
    assertThat(o.exit())
        .as("exit code; stdout %s stderr %s", o.stdout(), o.stderr())
        .isEqualTo(HardeningProbe.REFUSED);
    // JFR logs its start on stdout too: look for the probe's own line.
    assertThat(o.stdout().lines()).anyMatch(l -> l.startsWith("refused refusing to start: "));
    assertThat(o.ids()).as("findings").containsExactly(id);
  }

  @Test
  void aChildWithOnlyAttachDisabledStartsSecure() throws Exception {
    Outcome o = run(List.of(ATTACH_OFF), "strict");
    assertThat(o.exit()).as("exit code; stdout %s stderr %s", o.stdout(), o.stderr()).isZero();
    assertThat(o.stdout()).isEqualTo("started \n");
    assertThat(o.ids()).isEmpty();
  }

  /**
   * With {@code -XX:+HeapDumpAfterFullGC} the first full GC writes the whole heap to the working
   * directory. Hardening must refuse at {@code apply}, before the runtime holds anything secret, so
   * no dump is ever written. The control (the same child allowed to start insecure) shows that the
   * dump is real and would have held the secret.
   */
  @Test
  void aFullGcWithHeapDumpAfterFullGcIsRefusedBeforeAnyHeapIsWritten() throws Exception {
    Path refusedDir = Files.createDirectories(dir.resolve("refused"));
    List<String> jvm =
        List.of("-XX:+HeapDumpAfterFullGC", "-XX:HeapDumpPath=" + refusedDir, ATTACH_OFF);
    Outcome refused = run(jvm, "strict", "gc");
    assertThat(refused.exit()).as("stderr %s", refused.stderr()).isEqualTo(HardeningProbe.REFUSED);
    assertThat(refused.ids()).containsExactly("runtime.heap-dump");
    assertThat(refused.stdout()).doesNotContain("gc done");
    try (Stream<Path> files = Files.list(refusedDir)) {
      assertThat(files).as("files written by the refused child").isEmpty();
    }

    Path insecureDir = Files.createDirectories(dir.resolve("insecure"));
    Outcome insecure =
        run(
            List.of("-XX:+HeapDumpAfterFullGC", "-XX:HeapDumpPath=" + insecureDir, ATTACH_OFF),
            "insecure",
            "gc");
    assertThat(insecure.exit()).as("stderr %s", insecure.stderr()).isZero();
    assertThat(insecure.stdout()).contains("runtime.heap-dump").contains("gc done");
    List<Path> dumps;
    try (Stream<Path> files = Files.list(insecureDir)) {
      dumps = files.toList();
    }
    assertThat(dumps).as("heap dumps of the insecure control").isNotEmpty();
    assertThat(contains(dumps.get(0), HardeningProbe.SECRET.getBytes(StandardCharsets.US_ASCII)))
        .as("the control's heap dump holds the secret")
        .isTrue();
  }

  private Outcome run(List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx32m");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(HardeningProbe.class.getName());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child exited: %s", cmd).isTrue();
      return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  /** This module's classes, its test classes and JNA: all the probe needs. */
  private static String classPath() throws Exception {
    return String.join(
        File.pathSeparator,
        codeSource(Hardening.class),
        codeSource(HardeningProbe.class),
        codeSource(Native.class));
  }

  private static String codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** A jar whose manifest names {@link NoopAgent}; the class itself comes from the class path. */
  private static Path noopAgentJar(Path in) throws IOException {
    Path jar = in.resolve("noop-agent.jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().putValue("Premain-Class", NoopAgent.class.getName());
    new JarOutputStream(Files.newOutputStream(jar), mf).close(); // no entries
    return jar;
  }

  private static boolean contains(Path file, byte[] needle) throws IOException {
    byte[] hay = Files.readAllBytes(file);
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
