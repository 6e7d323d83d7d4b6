// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementLogTest {

  @Test
  void textRoundTripsAndTheDigestCoversEveryEntry() {
    MeasurementLog log = new MeasurementLog();
    log.measure("config", "a=1".getBytes(StandardCharsets.UTF_8));
    log.measure("jar:runtime.jar", new byte[] {1, 2, 3});
    MeasurementLog parsed = MeasurementLog.parse(log.text());
    assertThat(parsed.digest()).isEqualTo(log.digest());

    MeasurementLog other = new MeasurementLog();
    other.measure("config", "a=2".getBytes(StandardCharsets.UTF_8));
    other.measure("jar:runtime.jar", new byte[] {1, 2, 3});
    assertThat(other.digest()).isNotEqualTo(log.digest());
  }

  @Test
  void malformedLinesAreNamed() {
    assertThatThrownBy(() -> MeasurementLog.parse("abc config\n")).hasMessageContaining("line 1");
  }

  /** Arguments with what a log line cannot hold: spaces, newlines, '%', non-ASCII, a fake line. */
  private static final List<String> AWKWARD =
      List.of(
          "-Xmx256m",
          "-Dnote=two words",
          "-Dforged=x\n" + "0".repeat(64) + " config",
          "-Dpercent=100%25",
          "-Dname=Zürich",
          "");

  @Test
  void jvmArgumentsRoundTripThroughTheTextExactly() {
    MeasurementLog log = new MeasurementLog();
    log.measure("jar:runtime.jar", new byte[] {1});
    log.measureJvmArguments(AWKWARD);
    log.measure("config", "a=1".getBytes(StandardCharsets.UTF_8));

    MeasurementLog parsed = MeasurementLog.parse(log.text());
    assertThat(parsed.entries()).hasSize(3 + AWKWARD.size());
    assertThat(parsed.entries())
        .extracting(MeasurementLog.Entry::name)
        .containsExactly(
            "jar:runtime.jar",
            "jvm:arguments",
            "jvm:arg:-Xmx256m",
            "jvm:arg:-Dnote=two%20words",
            "jvm:arg:-Dforged=x%0A" + "0".repeat(64) + "%20config",
            "jvm:arg:-Dpercent=100%2525",
            "jvm:arg:-Dname=Z%C3%BCrich",
            "jvm:arg:",
            "config");
    assertThat(parsed.jvmArguments()).isEqualTo(AWKWARD);
    assertThat(parsed.replayedPcr()).isEqualTo(log.replayedPcr());
    assertThat(parsed.digest()).isEqualTo(log.digest());

    // The list entry's digest is SHA-256 over each argument's UTF-8 bytes and a zero byte.
    StringBuilder nulTerminated = new StringBuilder();
    AWKWARD.forEach(a -> nulTerminated.append(a).append('\0'));
    MeasurementLog expected = new MeasurementLog();
    expected.measure("x", nulTerminated.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.entries().get(1).sha256()).isEqualTo(expected.entries().get(0).sha256());

    MeasurementLog none = new MeasurementLog();
    none.measureJvmArguments(List.of());
    assertThat(MeasurementLog.parse(none.text()).jvmArguments()).isEmpty();
    assertThat(new MeasurementLog().jvmArguments()).isEmpty();
  }

  @Test
  void anEditedReorderedOrShortenedArgumentListIsRefused() {
    MeasurementLog log = new MeasurementLog();
    log.measureJvmArguments(List.of("-Xmx256m", "-XX:+DisableAttachMechanism"));
    List<String> lines = log.text().lines().toList();

    // A renamed argument: its entry digest no longer matches.
    String renamed =
        log.text()
            .replace("jvm:arg:-XX:+DisableAttachMechanism", "jvm:arg:-XX:+HeapDumpAfterFullGC");
    assertThatThrownBy(() -> MeasurementLog.parse(renamed).jvmArguments())
        .hasMessageContaining("does not match its argument");
    // A renamed argument with its digest recomputed: the list digest no longer matches.
    MeasurementLog other = new MeasurementLog();
    other.measureJvmArguments(List.of("-Xmx256m", "-XX:+HeapDumpAfterFullGC"));
    String substituted =
        lines.get(0) + "\n" + lines.get(1) + "\n" + other.text().lines().toList().get(2) + "\n";
    assertThatThrownBy(() -> MeasurementLog.parse(substituted).jvmArguments())
        .hasMessageContaining("jvm:arguments: digest does not match the 2 arguments");
    String swapped = lines.get(0) + "\n" + lines.get(2) + "\n" + lines.get(1) + "\n";
    assertThatThrownBy(() -> MeasurementLog.parse(swapped).jvmArguments())
        .hasMessageContaining("jvm:arguments: digest does not match the 2 arguments");
    String dropped = lines.get(0) + "\n" + lines.get(1) + "\n";
    assertThatThrownBy(() -> MeasurementLog.parse(dropped).jvmArguments())
        .hasMessageContaining("the 1 arguments");
    String config = "0".repeat(64) + " config";
    String detached = String.join("\n", lines.get(0), lines.get(1), config, lines.get(2)) + "\n";
    assertThatThrownBy(() -> MeasurementLog.parse(detached).jvmArguments())
        .hasMessageContaining("entry 4 does not directly follow jvm:arguments");
    String twice = log.text() + log.text();
    assertThatThrownBy(() -> MeasurementLog.parse(twice).jvmArguments())
        .hasMessageContaining("more than one");
  }

  @Test
  void escapedNamesHaveNoSpaceOrNewlineAndDecodeBack() {
    for (String a : AWKWARD) {
      String name = MeasurementLog.escapeName(a);
      assertThat(name).doesNotContain(" ").doesNotContain("\n").matches("[\\x21-\\x7e]*");
      assertThat(MeasurementLog.unescapeName(name)).isEqualTo(a);
    }
    assertThatThrownBy(() -> MeasurementLog.unescapeName("a%2")).hasMessageContaining("truncated");
    assertThatThrownBy(() -> MeasurementLog.unescapeName("a b"))
        .hasMessageContaining("unescaped character 32");
  }
}
