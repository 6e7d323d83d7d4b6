// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HardeningTest {

  @Test
  void jdwpAndAgentsAndHeapDumpsAreFound() {
    assertThat(
            Hardening.findInsecureOptions(
                List.of(
                    "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                    "-javaagent:/tmp/spy.jar",
                    "-XX:+HeapDumpOnOutOfMemoryError")))
        .containsExactly(
            "runtime.debug-agent",
            "runtime.java-agent",
            "runtime.heap-dump",
            "runtime.attach-enabled");
  }

  @Test
  void eachHeapExposingArgumentHasItsId() {
    assertThat(
            Hardening.findInsecureOptions(
                List.of(
                    "-XX:+DisableAttachMechanism",
                    "-XX:+HeapDumpAfterFullGC",
                    "-XX:+HeapDumpBeforeFullGC",
                    "-XX:OnError=jcmd %p GC.heap_dump /tmp/h.hprof",
                    "-XX:OnOutOfMemoryError=jmap -dump:file=/tmp/h.hprof %p",
                    "-Dcom.sun.management.jmxremote.port=9010",
                    "-XX:StartFlightRecording=filename=/tmp/r.jfr",
                    "-Xdebug",
                    "-Xrunhprof:heap=dump")))
        .containsExactly(
            "runtime.heap-dump",
            "runtime.on-error-command",
            "runtime.jmx-remote",
            "runtime.flight-recorder",
            "runtime.debug-agent",
            "runtime.java-agent");
    // An empty command, a disabled dump and a property of another namespace are no findings.
    assertThat(
            Hardening.findInsecureOptions(
                List.of(
                    "-XX:+DisableAttachMechanism",
                    "-XX:OnError=",
                    "-XX:-HeapDumpAfterFullGC",
                    "-Dcom.sun.managementx=1")))
        .isEmpty();
  }

  @Test
  void aHardenedCommandLineIsClean() {
    assertThat(Hardening.findInsecureOptions(List.of("-Xmx512m", "-XX:+DisableAttachMechanism")))
        .isEmpty();
  }

  @Test
  void theProcessBecomesNonDumpableOnLinux() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        com.sun.jna.Platform.isLinux(), "prctl exists only on Linux");
    assertThat(Hardening.makeNonDumpable()).isTrue();
  }
}
