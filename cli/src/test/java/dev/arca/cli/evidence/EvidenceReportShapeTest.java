// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.CliRun;
import dev.arca.cli.ExitCode;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.dev.DevAttester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One JSON shape for {@code arca evidence verify} in every format, so a script written against one
 * format reads every other: the report's members are {@code format, verified, claims, errors} in
 * that order, and every error is exactly {@code {id, kind, message}}, with an id under the format's
 * own prefix. Each format's real vector is verified once and once more against a nonce it was not
 * made for, which every format reports as a failure of kind {@code binding}.
 */
class EvidenceReportShapeTest {
  private static final Path VECTORS = Path.of("..", "evidence", "src", "test", "resources");
  private static final List<String> REPORT = List.of("format", "verified", "claims", "errors");
  private static final List<String> ERROR = List.of("id", "kind", "message");

  @TempDir static Path dir;

  private final CliRun cli = new CliRun();

  /**
   * A format, the id prefix of its failures, its vector, the options that verify it and the binding
   * (nonce or report data) it was made for, if any.
   */
  record Vector(
      String format, String idPrefix, Path evidence, List<String> options, List<String> binding) {
    @Override
    public String toString() {
      return format;
    }
  }

  private static final List<Vector> ALL = new ArrayList<>();

  @BeforeAll
  static void vectors() throws Exception {
    Path v = VECTORS.resolve("vectors");
    Path snpCollateral = Files.createDirectories(dir.resolve("sev-snp"));
    Files.copy(v.resolve("sev-snp/vcek_milan.der"), snpCollateral.resolve("vcek_milan.der"));
    Path tdxCollateral = Files.createDirectories(dir.resolve("tdx"));
    for (String n : TdxCliTest.COLLATERAL) {
      Files.copy(v.resolve("tdx").resolve(n), tdxCollateral.resolve(n));
    }
    Path dev =
        Files.write(
            dir.resolve("dev.json"),
            DevAttester.generate()
                .attest(new byte[] {0x0a}, Map.of(), Instant.parse("2026-01-01T00:00:00Z")));
    Path cliVectors = Path.of("src", "test", "resources", "vectors");
    ALL.addAll(
        List.of(
            new Vector("dev", "dev.", dev, List.of(), List.of("--report-data", "0a")),
            new Vector(
                "tpm2",
                "tpm2.",
                cliVectors.resolve("tpm"),
                List.of("--at", "2026-01-01T00:00:00Z"),
                List.of()),
            new Vector(
                "sev-snp",
                "sevsnp.",
                v.resolve("sev-snp/attestation.bin"),
                List.of("--collateral", snpCollateral.toString(), "--at", "2024-01-01T00:00:00Z"),
                List.of("--nonce", "0102030405")),
            new Vector(
                "tdx",
                "tdx.",
                v.resolve("tdx/tdx_prod_quote_SPR_E4.dat"),
                List.of("--collateral", tdxCollateral.toString(), "--at", "2023-07-01T00:00:00Z"),
                List.of()),
            new Vector(
                "nitro",
                "nitro.",
                cliVectors.resolve("nitro/nitro_attestation.cbor"),
                List.of("--at", "2024-09-07T14:37:39.545Z"),
                List.of("--nonce", "01".repeat(1024))),
            new Vector(
                "android-key",
                "android.",
                v.resolve("android/algorithm_EC_SecurityLevel_TEE"),
                List.of("--at", "2020-01-01T00:00:00Z"),
                List.of("--nonce", "616263")),
            new Vector(
                "psa",
                "psa.",
                cliVectors.resolve("psa/psa-2_0_0_sign1.bin"),
                List.of("--trust-anchors", cliVectors.resolve("psa/public.pem").toString()),
                List.of("--nonce", "00".repeat(64))),
            new Vector(
                "cca",
                "cca.",
                cliVectors.resolve("cca/cca_token.cbor"),
                List.of("--trust-anchors", cliVectors.resolve("cca/cca_platform.pub").toString()),
                List.of("--nonce", "ab".repeat(64)))));
  }

  static Stream<Arguments> formats() {
    return ALL.stream().map(Arguments::of);
  }

  @Test
  void everyBuiltInFormatIsCovered() {
    assertThat(formats().map(a -> ((Vector) a.get()[0]).format()))
        .containsExactlyInAnyOrderElementsOf(BuiltinFormats.registry().names());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aWrongNonceIsABindingFailureInTheOneShape(Vector v) throws Exception {
    JsonNode ok = verify(ExitCode.OK, v, v.binding());
    assertThat(names(ok)).containsExactlyElementsOf(REPORT);
    assertThat(ok.get("errors")).isEmpty();

    JsonNode failed = verify(ExitCode.FAILED, v, List.of("--nonce", "5a".repeat(32)));
    assertThat(names(failed)).containsExactlyElementsOf(REPORT);
    assertThat(failed.get("format").asText()).isEqualTo(v.format());
    assertThat(failed.get("verified").asBoolean()).isFalse();
    assertThat(failed.get("claims").isNull()).isTrue();
    assertThat(failed.get("errors")).isNotEmpty();
    for (JsonNode error : failed.get("errors")) {
      assertThat(names(error)).containsExactlyElementsOf(ERROR);
      assertThat(error.get("id").asText()).startsWith(v.idPrefix());
      assertThat(error.get("message").asText()).isNotBlank();
    }
    assertThat(failed.get("errors").findValuesAsText("kind")).contains("binding");
  }

  private JsonNode verify(int exit, Vector v, List<String> binding) throws Exception {
    List<String> options = new ArrayList<>(v.options());
    options.addAll(binding);
    return cli.verifyEvidence(exit, v.format(), v.evidence(), options.toArray(String[]::new));
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
