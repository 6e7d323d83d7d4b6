// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NarratorTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final StringWriter out = new StringWriter();

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private Narrator plain(int planned) {
    return new Narrator(out, false, clock::get, planned);
  }

  @Test
  void stepsArePrintedWithNumberWhatTheyProveResultAndElapsedTime() {
    Narrator n = plain(2);
    n.title("Arca demo");
    try (Narrator.Step s = n.step("Start Keycloak", "people log in with a real OpenID provider")) {
      advance(Duration.ofMillis(23_400));
      s.note("realm arca imported");
      s.ok("realm at http://127.0.0.1:1234/realms/arca");
    }
    String text = out.toString();
    assertThat(text)
        .contains("Arca demo\n=========\n")
        .contains("Step 1 of 2: Start Keycloak\n")
        .contains("  Proves: people log in with a real OpenID provider\n")
        .contains("  - realm arca imported\n")
        .contains("  ok (23.4 s): realm at http://127.0.0.1:1234/realms/arca\n")
        .doesNotContain("\u001b");
  }

  @Test
  void waitingPrintsALineEveryFiveSecondsWithoutATerminal() {
    Narrator n = plain(0);
    try (Narrator.Step s = n.step("Start the service", null)) {
      ReadinessListener l = s.waiting("the service");
      for (int ms = 0; ms <= 12_000; ms += 500) {
        l.waiting(Duration.ofMillis(ms));
      }
      // A second wait in the same step starts its own count.
      ReadinessListener again = s.waiting("its health check");
      again.waiting(Duration.ofSeconds(5));
      s.ok("");
    }
    assertThat(out.toString())
        .contains("Step 1: Start the service\n")
        .contains("  ... waiting for the service (5 s)\n  ... waiting for the service (10 s)\n")
        .contains("  ... waiting for its health check (5 s)\n")
        .doesNotContain("(0 s)")
        .doesNotContain("(6 s)")
        .doesNotContain("\r");
  }

  @Test
  void measurableProgressPrintsEachTenPercentWithoutATerminal() {
    Narrator n = plain(0);
    try (Narrator.Step s = n.step("Seal the model", "the model never leaves unencrypted")) {
      for (long done = 0; done <= 40; done += 3) {
        s.progress(done, 40, "MiB");
      }
      s.progress(40, 40, "MiB");
      s.ok("sealed");
    }
    String text = out.toString();
    assertThat(text).contains("  ... 0% (0/40 MiB)\n").contains("  ... 100% (40/40 MiB)\n");
    assertThat(text.lines().filter(l -> l.startsWith("  ... ")).count()).isEqualTo(11);
  }

  @Test
  void onATerminalProgressRewritesOneLineAndResultsAreColoured() {
    Narrator n = new Narrator(out, true, clock::get, 0);
    try (Narrator.Step s = n.step("Start Keycloak", null)) {
      ReadinessListener l = s.waiting("Keycloak");
      l.waiting(Duration.ofSeconds(1));
      l.waiting(Duration.ofSeconds(2));
      s.ok("up");
    }
    String text = out.toString();
    assertThat(text)
        .contains("\r  ... waiting for Keycloak (1 s)")
        .contains("\r  ... waiting for Keycloak (2 s)")
        // the result starts on a fresh line after the rewritten progress line
        .contains("(2 s)\u001b[K\n  \u001b[32mok\u001b[0m");
  }

  @Test
  void summaryTabulatesEveryStepAndCountsFailures() {
    Narrator n = plain(3);
    try (Narrator.Step s = n.step("Start Keycloak", null)) {
      advance(Duration.ofSeconds(2));
      s.ok("realm arca");
    }
    try (Narrator.Step s = n.step("Attest the device", "only a known runtime gets keys")) {
      advance(Duration.ofMillis(1500));
      s.fail("policy refused: dev attester may not handle PHI");
    }
    try (Narrator.Step s = n.step("Audit", null)) {
      advance(Duration.ofMillis(100));
      // closed without ok/fail, e.g. an exception escaped
      assertThat(s.succeeded()).isFalse();
    }
    int failed = n.summary();
    assertThat(failed).isEqualTo(2);
    assertThat(out.toString())
        .contains("Summary\n")
        .containsPattern("#\\s+Step\\s+Result\\s+Time\\s+Detail\n")
        .containsPattern("1\\s+Start Keycloak\\s+ok\\s+2\\.0 s\\s+realm arca\n")
        .containsPattern(
            "2\\s+Attest the device\\s+FAILED\\s+1\\.5 s\\s+policy refused: dev attester may not handle PHI\n")
        .containsPattern("3\\s+Audit\\s+FAILED\\s+0\\.1 s\\s+did not finish\n")
        .contains("2 of 3 steps failed in 3.6 s.");
  }

  @Test
  void aStepEndsOnlyOnce() {
    Narrator n = plain(0);
    Narrator.Step s = n.step("Once", null);
    s.ok("done");
    assertThatThrownBy(() -> s.fail("again")).isInstanceOf(IllegalStateException.class);
    assertThat(n.summary()).isZero();
    assertThat(out.toString()).contains("All 1 steps ok");
  }
}
