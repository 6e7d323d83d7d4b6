package dev.arca.evidence.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevVerifierTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final DevAttester attester = DevAttester.generate();
  private final byte[] reportData = "report".getBytes(StandardCharsets.UTF_8);
  private final byte[] evidence = attester.attest(reportData, Map.of("runtime", "abcd"), NOW);
  private final DevVerifier verifier = new DevVerifier();

  @Test
  void verifiesAndSaysItIsNotHardwareRooted() throws Exception {
    Claims claims =
        verifier.verify(
            evidence,
            VerificationContext.expectingReportData(NOW, reportData)
                .trustedKey(DevVerifier.publicKey(attester.publicKey()))
                .build());
    assertThat(claims.hardwareRooted()).isFalse();
    assertThat(claims.securityLevel()).isEqualTo("software");
    assertThat(claims.insecureFlags()).contains("dev.software-only");
    assertThat(claims.reportData()).isEqualTo(reportData);
    assertThat(claims.measurements()).containsEntry("runtime", "abcd");
    assertThat(claims.deviceIdentity()).isEqualTo(DevVerifier.deviceIdentity(attester.publicKey()));
  }

  @Test
  void aRuntimeInDebugModeIsReportedAsDebug() throws Exception {
    VerificationContext ctx = VerificationContext.expectingReportData(NOW, reportData).build();
    assertThat(verifier.verify(evidence, ctx).debug()).isFalse();
    byte[] debug = attester.attest(reportData, Map.of("runtime", "abcd"), NOW, true);
    assertThat(verifier.verify(debug, ctx).debug()).isTrue();
  }

  @Test
  void wrongReportDataAndUnenrolledKeyAreBothReported() throws Exception {
    byte[] otherKey = DevAttester.generate().publicKey();
    VerificationContext ctx =
        VerificationContext.expectingReportData(NOW, new byte[] {1})
            .trustedKey(DevVerifier.publicKey(otherKey))
            .build();
    assertThatThrownBy(() -> verifier.verify(evidence, ctx))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e ->
                assertThat(e.ids())
                    .containsExactly("dev.key.untrusted", "dev.report-data.mismatch"));
  }

  @Test
  void everyFlippedByteIsRejected() {
    VerificationContext ctx = VerificationContext.expectingReportData(NOW, reportData).build();
    for (int i = 0; i < evidence.length; i++) {
      byte[] bad = evidence.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> verifier.verify(bad, ctx))
          .as("flip at byte %d", i)
          .isInstanceOf(EvidenceException.class);
    }
  }

  @Test
  void unknownFormatHasItsOwnId() {
    assertThatThrownBy(() -> BuiltinFormats.registry().require("nope"))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("evidence.unknown-format"));
  }
}
