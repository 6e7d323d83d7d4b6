// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.dev.DevVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every built-in format, on its real vector: evidence that verifies in itself but binds another
 * nonce or report data than expected fails with {@link Failure.Kind#BINDING} failures only, so
 * {@link EvidenceException#onlyBinding()} tells a replay from bad evidence; and the same evidence
 * verifies when the expected report data is what it binds.
 */
class BindingFailureTest {
  private static final Path VECTORS = Path.of("src/test/resources/vectors");
  private static final byte[] WRONG_NONCE = {0x7f, 0x7e, 0x7d, 0x7c};

  /**
   * One format's vector.
   *
   * @param trustAnchor a PEM key or root to add with {@link EvidenceFiles#addTrustAnchors}, or null
   * @param collateral a folder of collateral files, or null
   * @param nonceMismatch the id a wrong nonce gives
   * @param reportDataMismatch the id wrong report data gives
   */
  record Vector(
      String format,
      byte[] evidence,
      Instant at,
      Path trustAnchor,
      Path collateral,
      String nonceMismatch,
      String reportDataMismatch) {
    VerificationContext context(VerificationContext.Builder b) throws IOException {
      if (trustAnchor != null) {
        EvidenceFiles.addTrustAnchors(trustAnchor, b);
      }
      if (collateral != null) {
        EvidenceFiles.addCollateral(collateral, b);
      }
      return b.build();
    }

    EvidenceVerifier verifier() {
      return BuiltinFormats.registry().byName(format).orElseThrow();
    }

    @Override
    public String toString() {
      return format;
    }
  }

  static Stream<Vector> vectors() throws Exception {
    DevAttester dev = DevAttester.generate();
    Instant devTime = Instant.parse("2026-01-01T00:00:00Z");
    byte[] devEvidence = dev.attest("bound".getBytes(StandardCharsets.UTF_8), Map.of(), devTime);
    return Stream.of(
        new Vector(
            "dev",
            devEvidence,
            devTime,
            null,
            null,
            "dev.report-data.mismatch",
            "dev.report-data.mismatch"),
        new Vector(
            "tpm2",
            read("tpm2", VECTORS.resolve("tpm-swtpm/ecc_quote.tpm2.json")),
            Instant.parse("2026-01-01T00:00:00Z"),
            null,
            null,
            "tpm2.quote.nonce-mismatch",
            "tpm2.quote.report-data-mismatch"),
        new Vector(
            "sev-snp",
            read("sev-snp", VECTORS.resolve("sev-snp/attestation.bin")),
            Instant.parse("2024-01-01T00:00:00Z"),
            null,
            VECTORS.resolve("sev-snp"),
            "sevsnp.nonce.mismatch",
            "sevsnp.report-data.mismatch"),
        new Vector(
            "tdx",
            read("tdx", VECTORS.resolve("tdx/tdx_prod_quote_SPR_E4.dat")),
            Instant.parse("2023-07-01T00:00:00Z"),
            null,
            VECTORS.resolve("tdx"),
            "tdx.nonce.mismatch",
            "tdx.report-data.mismatch"),
        new Vector(
            "android-key",
            read("android-key", VECTORS.resolve("android/algorithm_EC_SecurityLevel_TEE")),
            Instant.parse("2020-01-01T00:00:00Z"),
            null,
            null,
            "android.challenge.mismatch",
            "android.challenge.mismatch"),
        new Vector(
            "nitro",
            read("nitro", VECTORS.resolve("nitro/nitro_attestation.cbor")),
            Instant.parse("2024-09-07T14:37:39.545Z"),
            null,
            null,
            "nitro.nonce.mismatch",
            "nitro.report-data.mismatch"),
        new Vector(
            "psa",
            read("psa", VECTORS.resolve("psa/psa-2_0_0_sign1.bin")),
            Instant.parse("2026-01-01T00:00:00Z"),
            VECTORS.resolve("psa/public.pem"),
            null,
            "psa.nonce.mismatch",
            "psa.report-data.mismatch"),
        new Vector(
            "cca",
            read("cca", VECTORS.resolve("cca/cca_token.cbor")),
            Instant.parse("2026-01-01T00:00:00Z"),
            VECTORS.resolve("cca/cca_platform.pub"),
            null,
            "cca.nonce.mismatch",
            "cca.report-data.mismatch"));
  }

  private static byte[] read(String format, Path path) {
    try {
      return BuiltinFormats.registry().byName(format).orElseThrow().readEvidence(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyBuiltinFormatIsCovered() throws Exception {
    assertThat(vectors().map(Vector::format))
        .containsExactlyInAnyOrderElementsOf(BuiltinFormats.registry().names());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theBoundReportDataVerifiesAndAnyOtherIsOnlyABindingFailure(Vector v) throws Exception {
    byte[] bound =
        v.verifier()
            .verify(v.evidence(), v.context(VerificationContext.insecureWithoutBinding(v.at())))
            .reportData();
    assertThat(bound).as("the vector binds report data").isNotEmpty();

    Claims c =
        v.verifier()
            .verify(
                v.evidence(), v.context(VerificationContext.expectingReportData(v.at(), bound)));
    assertThat(c.reportData()).isEqualTo(bound);

    byte[] wrong = bound.clone();
    wrong[wrong.length - 1] ^= 0x01;
    EvidenceException e =
        failure(v, v.context(VerificationContext.expectingReportData(v.at(), wrong)));
    assertThat(e.ids()).containsExactly(v.reportDataMismatch());
    assertThat(e.failures()).extracting(Failure::kind).containsOnly(Failure.Kind.BINDING);
    assertThat(e.onlyBinding()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void aWrongNonceIsOnlyABindingFailure(Vector v) throws Exception {
    EvidenceException e =
        failure(v, v.context(VerificationContext.expectingNonce(v.at(), WRONG_NONCE)));
    assertThat(e.ids()).containsExactly(v.nonceMismatch());
    assertThat(e.failures()).extracting(Failure::kind).containsOnly(Failure.Kind.BINDING);
    assertThat(e.onlyBinding()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void tamperedEvidenceWithAWrongNonceIsNotOnlyBinding(Vector v) throws Exception {
    byte[] tampered = v.evidence().clone();
    tampered[tampered.length / 2] ^= 0x01;
    Vector bad =
        new Vector(
            v.format(),
            tampered,
            v.at(),
            v.trustAnchor(),
            v.collateral(),
            v.nonceMismatch(),
            v.reportDataMismatch());
    EvidenceException e =
        failure(bad, v.context(VerificationContext.expectingNonce(v.at(), WRONG_NONCE)));
    assertThat(e.failures()).extracting(Failure::kind).contains(Failure.Kind.EVIDENCE);
    assertThat(e.onlyBinding()).isFalse();
  }

  private static EvidenceException failure(Vector v, VerificationContext ctx) {
    try {
      v.verifier().verify(v.evidence(), ctx);
    } catch (EvidenceException e) {
      return e;
    }
    throw new AssertionError(v.format() + " verified with the wrong binding");
  }

  @Test
  void aReportDataContextCannotSkipTheCheck() throws Exception {
    byte[] expected = "expected".getBytes(StandardCharsets.UTF_8);
    DevAttester attester = DevAttester.generate();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    byte[] evidence = attester.attest("other".getBytes(StandardCharsets.UTF_8), Map.of(), t);

    VerificationContext.Builder builder = VerificationContext.expectingReportData(t, expected);
    // Every other builder setting leaves the binding in place.
    VerificationContext ctx =
        builder
            .trustedKey(DevVerifier.publicKey(attester.publicKey()))
            .replacePinnedAnchors(true)
            .collateral("anything", new byte[] {1})
            .build();
    expected[0] ^= 0x01; // the caller's array changing afterwards changes nothing either
    assertThat(ctx.unbound()).isFalse();
    assertThat(ctx.expectedReportData().orElseThrow())
        .isEqualTo("expected".getBytes(StandardCharsets.UTF_8));
    assertThat(ctx.expectedNonce()).isEmpty();
    assertThatThrownBy(() -> new DevVerifier().verify(evidence, ctx))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("dev.report-data.mismatch"));

    // No builder method can set, replace or clear a binding.
    List<String> setters =
        Arrays.stream(VerificationContext.Builder.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(Method::getName)
            .toList();
    assertThat(setters)
        .containsExactlyInAnyOrder(
            "trustAnchor", "replacePinnedAnchors", "trustedKey", "collateral", "build");
    assertThat(setters)
        .noneMatch(
            n ->
                Stream.of("nonce", "report", "binding", "unbound")
                    .anyMatch(w -> n.toLowerCase(Locale.ROOT).contains(w)));
  }

  @Test
  void anEmptyOrMissingBindingIsRefusedSoItCannotMatchEverything() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> VerificationContext.expectingReportData(t, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VerificationContext.expectingNonce(t, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VerificationContext.expectingReportData(t, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> VerificationContext.expectingNonce(null, new byte[] {1}))
        .isInstanceOf(NullPointerException.class);
    assertThat(VerificationContext.insecureWithoutBinding(t).build().unbound()).isTrue();
  }
}
