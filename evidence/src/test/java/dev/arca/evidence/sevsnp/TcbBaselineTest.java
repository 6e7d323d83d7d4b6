// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcbBaselineTest {
  private static final String MILAN =
      "{\"product\":\"Milan\",\"minimumTcb\":{\"bootloader\":3,\"tee\":0,\"snp\":8,"
          + "\"microcode\":115},\"issueDate\":\"2026-01-01T00:00:00Z\","
          + "\"nextUpdate\":\"2026-07-01T00:00:00Z\",\"reference\":\"AMD-SB-3019\"}";

  private static TcbBaseline parse(String json) throws EvidenceException {
    return TcbBaseline.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theDocumentedExampleParses() throws Exception {
    TcbBaseline b = parse(MILAN);
    assertThat(b.product()).isEqualTo(Product.MILAN);
    assertThat(b.minimumTcb())
        .containsExactly(
            Map.entry("bootloader", 3),
            Map.entry("tee", 0),
            Map.entry("snp", 8),
            Map.entry("microcode", 115));
    assertThat(b.issueDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(b.nextUpdate()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    assertThat(b.reference()).contains("AMD-SB-3019");
  }

  @Test
  void theReferenceIsOptionalAndTurinNeedsItsFmc() throws Exception {
    TcbBaseline b =
        parse(
            "{\"product\":\"Turin\",\"minimumTcb\":{\"fmc\":1,\"bootloader\":1,\"tee\":1,"
                + "\"snp\":1,\"microcode\":1},\"issueDate\":\"2026-01-01T00:00:00Z\","
                + "\"nextUpdate\":\"2026-01-01T00:00:00Z\"}");
    assertThat(b.product()).isEqualTo(Product.TURIN);
    assertThat(b.minimumTcb()).containsKeys("fmc");
    assertThat(b.reference()).isEmpty();
    assertThat(b.appliesAt(Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
    assertThat(b.appliesAt(Instant.parse("2026-01-01T00:00:01Z"))).isFalse();
  }

  @Test
  void theTestReportsBaselineIsMetExactly() throws Exception {
    Instant issue = Instant.parse("2026-01-01T00:00:00Z");
    Instant next = Instant.parse("2026-07-01T00:00:00Z");
    byte[] json =
        TestSevSnpReports.baselineJson(TestSevSnpReports.reportedTcb(), issue, next, "AMD-SB-3019");
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"product\":\"Milan\",\"minimumTcb\":{\"bootloader\":2,\"tee\":0,\"snp\":5,"
                + "\"microcode\":68},\"issueDate\":\"2026-01-01T00:00:00Z\","
                + "\"nextUpdate\":\"2026-07-01T00:00:00Z\",\"reference\":\"AMD-SB-3019\"}");
    TcbBaseline b = TcbBaseline.parse(json);
    TcbVersion reported =
        TcbVersion.decode(
            AttestationReport.parse(TestSevSnpReports.vector()).reportedTcb(), Product.MILAN);
    assertThat(b.below(reported)).isEmpty();
    assertThat(parse(MILAN).below(reported))
        .containsExactly("bootloader 2<3", "snp 5<8", "microcode 68<115");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "unknown member|\"product\":\"Milan\"|\"product\":\"Milan\",\"extra\":1|unknown member 'extra'",
        "duplicate member|\"tee\":0|\"tee\":0,\"tee\":1|repeats a member",
        "missing component|\"tee\":0,|``|lacks 'tee'",
        "negative SPL|\"tee\":0|\"tee\":-1|minimumTcb.tee is not an integer from 0 to 255",
        "SPL above 255|\"tee\":0|\"tee\":256|minimumTcb.tee is not an integer from 0 to 255",
        "fractional SPL|\"tee\":0|\"tee\":0.5|minimumTcb.tee is not an integer",
        "SPL as string|\"tee\":0|\"tee\":\"0\"|minimumTcb.tee is not an integer",
        "fmc on Milan|\"tee\":0|\"tee\":0,\"fmc\":0|'fmc', which is not a TCB component of Milan",
        "unknown product|\"Milan\"|\"Bergamo\"|product 'Bergamo' is not Milan, Genoa or Turin",
        "product not a string|\"Milan\"|1|product is missing or not a string",
        "issue after next update|\"2026-01-01T00:00:00Z\"|\"2026-08-01T00:00:00Z\"|is after nextUpdate",
        "date not an instant|\"2026-07-01T00:00:00Z\"|\"July 2026\"|nextUpdate 'July 2026' is not an instant",
        "reference not a string|\"AMD-SB-3019\"|3019|reference is missing or not a string",
        "trailing content|\"AMD-SB-3019\"}|\"AMD-SB-3019\"}{}|not valid JSON",
        "not JSON|{|[|not valid JSON",
      })
  void malformedBaselinesAreRefusedWithTheirReason(
      String name, String from, String to, String message) {
    String json = MILAN.replaceFirst(java.util.regex.Pattern.quote(from), to);
    assertThat(json).as("the case changes the example").isNotEqualTo(MILAN);
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly(TcbBaseline.MALFORMED))
        .hasMessageContaining(message);
  }

  @Test
  void aTooLongReferenceAndEmptyInputAreRefused() {
    String longRef = MILAN.replace("AMD-SB-3019", "x".repeat(201));
    assertThatThrownBy(() -> parse(longRef)).hasMessageContaining("more than 200 characters");
    assertThatThrownBy(() -> parse("")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> parse("null")).hasMessageContaining("not a JSON object");
  }
}
