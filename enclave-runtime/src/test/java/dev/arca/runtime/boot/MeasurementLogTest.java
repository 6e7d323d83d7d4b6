package dev.arca.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
}
