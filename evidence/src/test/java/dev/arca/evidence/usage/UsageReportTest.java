// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.ReportData;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final byte[] SECRET = new byte[32];

  static {
    Arrays.fill(SECRET, (byte) 7);
  }

  private static UsageReport report(UsageKey key) {
    return new UsageReport(
        "clinic-7",
        key.publicKey(),
        T0,
        T0.plusSeconds(60),
        List.of(
            new UsageReport.Count("triage", 2, "phi", 40, 1),
            new UsageReport.Count(UsageReport.UNLISTED, 0, UsageReport.UNLISTED, 0, 3)),
        List.of(new UsageReport.Unloaded("triage", 1, T0.plusSeconds(5), "superseded")),
        0);
  }

  @Test
  void aSignedReportVerifiesAndDecodesToWhatWasSigned() throws Exception {
    UsageKey key = UsageKey.derivedFrom(SECRET);
    SignedUsageReport signed = SignedUsageReport.sign(report(key), key);

    UsageReport back = signed.verified();

    assertThat(back).isEqualTo(report(key));
    assertThat(back.unloaded())
        .extracting(UsageReport.Unloaded::reason)
        .containsExactly("superseded");
    assertThat(back.served()).isEqualTo(40);
    assertThat(back.refused()).isEqualTo(4);
    assertThat(signed.digest()).isEqualTo(ReportData.sha256().digest(signed.report()));
  }

  @Test
  void theKeyIsDerivedFromTheSecretAlone() {
    byte[] other = SECRET.clone();
    other[0] ^= 1;
    assertThat(UsageKey.derivedFrom(SECRET).publicKey())
        .isEqualTo(UsageKey.derivedFrom(SECRET.clone()).publicKey())
        .isNotEqualTo(UsageKey.derivedFrom(other).publicKey());
  }

  @Test
  void aChangedCountFailsTheSignature() {
    UsageKey key = UsageKey.derivedFrom(SECRET);
    SignedUsageReport signed = SignedUsageReport.sign(report(key), key);
    String forged = new String(signed.report(), UTF_8).replace("\"served\":40", "\"served\":4");

    assertThatThrownBy(
            () -> new SignedUsageReport(forged.getBytes(UTF_8), signed.signature()).verified())
        .isInstanceOf(UsageReportException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void aReportNamingAnotherKeyThanItsSignersFails() {
    UsageKey signer = UsageKey.derivedFrom(SECRET);
    UsageKey named = UsageKey.derivedFrom(new byte[32]);
    byte[] bytes = report(named).encode();

    assertThatThrownBy(() -> new SignedUsageReport(bytes, signer.sign(bytes)).verified())
        .isInstanceOf(UsageReportException.class);
  }

  @Test
  void aUsageReportSignatureIsNotAnyOtherMessagesSignature() {
    UsageKey key = UsageKey.derivedFrom(SECRET);
    byte[] bytes = report(key).encode();
    byte[] sig = key.sign(bytes);
    assertThat(UsageKey.verify(key.publicKey(), bytes, sig)).isTrue();
    // Not a signature of this key: a zero signature, a short key, a truncated signature.
    assertThat(UsageKey.verify(key.publicKey(), bytes, new byte[64])).isFalse();
    assertThat(UsageKey.verify(new byte[31], bytes, sig)).isFalse();
    assertThat(UsageKey.verify(key.publicKey(), bytes, Arrays.copyOf(sig, 63))).isFalse();
  }

  @Test
  void malformedReportsAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> UsageReport.decode("[]".getBytes(UTF_8)))
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> UsageReport.decode("{\"v\":2}".getBytes(UTF_8)))
        .hasMessageContaining("version");
    String negative =
        new String(report(UsageKey.derivedFrom(SECRET)).encode(), UTF_8)
            .replace("\"served\":40", "\"served\":-40");
    assertThatThrownBy(() -> UsageReport.decode(negative.getBytes(UTF_8)))
        .isInstanceOf(UsageReportException.class)
        .hasMessageContaining("negative");
    String backwards =
        new String(report(UsageKey.derivedFrom(SECRET)).encode(), UTF_8)
            .replace("2026-12-07T10:01:00Z", "2026-12-07T09:00:00Z");
    assertThatThrownBy(() -> UsageReport.decode(backwards.getBytes(UTF_8)))
        .hasMessageContaining("ends before it starts");
    assertThatThrownBy(() -> UsageReport.decode(new byte[UsageReport.MAX_BYTES + 1]))
        .hasMessageContaining("at most");
  }

  @Test
  void aDestroyedKeySignsNothing() {
    UsageKey key = UsageKey.derivedFrom(SECRET);
    key.destroy();
    assertThat(key.isDestroyed()).isTrue();
    assertThatThrownBy(() -> key.sign(new byte[1])).isInstanceOf(IllegalStateException.class);
  }
}
