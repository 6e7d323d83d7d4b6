// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.Claims;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.nitro.NitroVerifier;
import dev.arca.evidence.nitro.TestNitroDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NitroNsmAttesterTest {
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path tmp;

  private Path script(String body) throws IOException {
    Path s = tmp.resolve("nsm-helper.sh");
    Files.writeString(s, "#!/bin/sh\n" + body);
    return s;
  }

  private static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  @Test
  void theHelpersDocumentVerifiesUnderATestRootAndBindsTheRuntimesReportData() throws Exception {
    byte[] reportData =
        ReportData.ofLog(new byte[32], new byte[32], "x\n".getBytes(StandardCharsets.UTF_8));
    TestNitroDocuments docs =
        new TestNitroDocuments(NOT_BEFORE, NOT_BEFORE.plusSeconds(365L * 24 * 3600));
    Path doc = tmp.resolve("document.cbor");
    Files.write(
        doc,
        docs.document(
            TestNitroDocuments.MODULE_ID,
            Map.of(0, filled(48, 1), 1, filled(48, 2), 2, filled(48, 3)),
            reportData));
    // The scripted helper answers only the report data it expects, as the NSM binds what it gets.
    Path helper =
        script(
            "read hex\n"
                + "[ \"$hex\" = \""
                + HexFormat.of().formatHex(reportData)
                + "\" ] || { echo \"unexpected report data $hex\" >&2; exit 3; }\n"
                + "cat '"
                + doc
                + "'\n");
    NitroNsmAttester attester = new NitroNsmAttester(List.of("sh", helper.toString()), "enc-1");

    byte[] evidence = attester.evidence(reportData);

    Claims claims =
        new NitroVerifier()
            .verify(
                evidence,
                VerificationContext.expectingReportData(AT, reportData)
                    .trustAnchor(docs.root)
                    .replacePinnedAnchors(true)
                    .build());
    assertThat(claims.reportData()).isEqualTo(reportData);
    assertThat(claims.deviceIdentity()).contains(TestNitroDocuments.MODULE_ID);
    assertThat(attester.format()).isEqualTo("nitro");
    assertThat(attester.deviceId()).isEqualTo("enc-1");
  }

  @Test
  void aFailingHelperIsReportedWithItsStatusAndMessage() throws Exception {
    Path helper = script("echo 'cannot open /dev/nsm' >&2\nexit 1\n");
    NitroNsmAttester attester = new NitroNsmAttester(List.of("sh", helper.toString()), "enc-1");

    assertThatThrownBy(() -> attester.evidence(new byte[32]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exited with status 1")
        .hasMessageContaining("cannot open /dev/nsm");
  }

  @Test
  void aHelperThatWritesNothingOrCannotStartIsAClearFailure() throws Exception {
    Path silent = script("read hex\n");
    assertThatThrownBy(
            () ->
                new NitroNsmAttester(List.of("sh", silent.toString()), "e").evidence(new byte[32]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("wrote no document");
    Path missing = tmp.resolve("no-such-helper");
    assertThatThrownBy(
            () -> new NitroNsmAttester(List.of(missing.toString()), "e").evidence(new byte[32]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot start the NSM helper '" + missing + "'");
  }

  @Test
  void aCommandStringSplitsAtWhitespace() {
    assertThat(NitroNsmAttester.split("  /usr/bin/nsm-attest  --hex "))
        .containsExactly("/usr/bin/nsm-attest", "--hex");
    assertThat(NitroNsmAttester.split(" ")).isEmpty();
  }
}
