// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final StringWriter err = new StringWriter();

  @AfterEach
  void auto() {
    System.clearProperty(Progress.MODE_PROPERTY);
  }

  @Test
  void onATerminalOneLineIsRedrawnOncePerPercentAndEndedByFinish() {
    System.setProperty(Progress.MODE_PROPERTY, "always");
    Progress p = Progress.ofCount(new PrintWriter(err), "verifying", "entries", false);
    for (long i = 0; i <= 1000; i++) {
      p.update(i, 1000);
    }
    p.finish();
    String shown = err.toString();
    assertThat(shown.split("\r", -1)).hasSize(102); // "" before the first, then 0..100 %
    assertThat(shown).contains("verifying [###############               ] 50% of 1000 entries");
    assertThat(shown).endsWith("] 100% of 1000 entries" + System.lineSeparator());
  }

  @Test
  void bytesAreShownInMebibytes() {
    System.setProperty(Progress.MODE_PROPERTY, "always");
    Progress p = Progress.ofBytes(new PrintWriter(err), "sealing", false);
    p.update(3L << 20, 12L << 20);
    assertThat(err.toString())
        .isEqualTo("\r  sealing [#######                       ] 25% of 12.0 MiB");
  }

  @Test
  void withJsonOrWithoutATerminalNothingIsPrinted() {
    System.setProperty(Progress.MODE_PROPERTY, "always");
    Progress json = Progress.ofBytes(new PrintWriter(err), "sealing", true);
    json.update(1, 2);
    json.finish();
    System.setProperty(Progress.MODE_PROPERTY, "never");
    Progress piped = Progress.ofBytes(new PrintWriter(err), "sealing", false);
    piped.update(1, 2);
    piped.finish();
    assertThat(err.toString()).isEmpty();
  }
}
