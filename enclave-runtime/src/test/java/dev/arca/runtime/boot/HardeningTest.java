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
