// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A refused manifest names the first problem found, the limits are inclusive, and the builder
 * refuses a missing or out-of-range member itself (not only the parser's canonical check).
 */
class ManifestRefusalsTest {
  static final long MAX_SAFE = (1L << 53) - 1;

  static Manifest.Builder complete() {
    return Manifest.builder()
        .modelId("m")
        .version(1)
        .plaintextSha256(new byte[32])
        .plaintextSize(0)
        .input(TensorSpec.of("x", "float32", 1))
        .output(TensorSpec.of("y", "float32", 1))
        .dataClass("pci")
        .minRuntimeVersion("0.1.0")
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
        .publisherKeyId("k");
  }

  static String json() {
    return new String(complete().build().encoded(), StandardCharsets.UTF_8);
  }

  static void refused(String manifest, String reason) {
    assertThatThrownBy(() -> Manifest.parse(manifest.getBytes(StandardCharsets.UTF_8)))
        .as(manifest.length() > 300 ? manifest.substring(0, 300) : manifest)
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.BAD_MANIFEST))
        .hasMessageContaining(reason);
  }

  static void refused(UnaryOperator<String> edit, String reason) {
    refused(edit.apply(json()), reason);
  }

  @Test
  void eachRefusalNamesItsReason() {
    refused(" ", "not a JSON object");
    refused(j -> j.replace("arca.sealed-model.manifest/v1", "x"), "format must be");
    refused(j -> j.replace("AES256_GCM_HKDF_1MB", "x"), "cipher must be");
    refused(j -> j.replace("\"modelId\":\"m\"", "\"modelId\":1"), "modelId must be a string");
    refused(
        j -> j.replace("\"version\":1", "\"version\":99999999999999999999"),
        "version must be an integer");
    refused(j -> j.replace("\"dataClasses\":[\"pci\"]", "\"dataClasses\":\"pci\""), "dataClasses");
    refused(j -> j.replace("\"dataClasses\":[\"pci\"]", "\"dataClasses\":[1]"), "dataClasses");
    refused(
        j ->
            j.replace(
                "\"inputs\":[{\"name\":\"x\",\"type\":\"float32\",\"shape\":[1]}]",
                "\"inputs\":\"x\""),
        "inputs must be an array");
    refused(j -> j.replace("\"shape\":[1]", "\"shape\":[\"1\"]"), "inputs shape dimensions");
    refused(j -> j.replace("\"shape\":[1]", "\"shape\":[1.5]"), "inputs shape dimensions");
    // An integer beyond a long: it must be refused, not wrap around.
    refused(
        j -> j.replace("\"shape\":[1]", "\"shape\":[99999999999999999999]"),
        "inputs shape dimensions");
    refused(
        j -> j.replace("\"plaintextSha256\":\"00", "\"plaintextSha256\":\"AB"),
        "plaintextSha256 must be 64 lowercase hex digits");
  }

  @Test
  void lengthIsOneByteToOneMebibyte() {
    byte[] atLimit = new byte[Manifest.MAX_ENCODED_LENGTH];
    Arrays.fill(atLimit, (byte) '[');
    assertThatThrownBy(() -> Manifest.parse(atLimit)).hasMessageContaining("not valid JSON");
    byte[] beyond = Arrays.copyOf(atLimit, atLimit.length + 1);
    assertThatThrownBy(() -> Manifest.parse(beyond)).hasMessageContaining("length must be");
  }

  @Test
  void atMost256TensorsOfAtMost16Dimensions() throws Exception {
    Manifest.Builder many = complete();
    for (int i = 0; i < 255; i++) {
      many.input(TensorSpec.of("x" + i, "float32", 1));
    }
    Manifest m256 = many.build();
    assertThat(Manifest.parse(m256.encoded()).inputs()).hasSize(256);
    many.input(TensorSpec.of("one-more", "float32", 1));
    refused(new String(many.build().encoded(), StandardCharsets.UTF_8), "at most 256 tensors");

    long[] sixteen = new long[16];
    Arrays.fill(sixteen, 2);
    Manifest m16 = complete().output(TensorSpec.of("z", "int64", sixteen)).build();
    assertThat(Manifest.parse(m16.encoded()).outputs().get(1).shape()).hasSize(16);
    refused(
        new String(m16.encoded(), StandardCharsets.UTF_8).replace("[2,2,", "[2,2,2,"),
        "outputs entries must be {name, type, shape} with at most 16 dimensions");
  }

  @Test
  void builderRangesAreInclusive() {
    assertThat(complete().version(MAX_SAFE).build().version()).isEqualTo(MAX_SAFE);
    assertThat(complete().plaintextSize(MAX_SAFE).build().plaintextSize()).isEqualTo(MAX_SAFE);
    for (long v : new long[] {0, -1, MAX_SAFE + 1}) {
      assertThatThrownBy(() -> complete().version(v)).isInstanceOf(IllegalArgumentException.class);
    }
    for (long v : new long[] {-1, MAX_SAFE + 1}) {
      assertThatThrownBy(() -> complete().plaintextSize(v))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void builderRefusesNullsAndRepeatedDataClasses() {
    Manifest.Builder b = complete();
    assertThatThrownBy(() -> b.modelId(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.plaintextSha256(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.plaintextSha256(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minRuntimeVersion(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.publisherKeyId(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.dataClass(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.modelId("-starts-with-a-dash"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.publisherKeyId("has space"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minRuntimeVersion(".1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.dataClass("PCI")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.dataClass("pci"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listed twice");
  }

  @Test
  void builderNeedsEveryMember() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    TensorSpec x = TensorSpec.of("x", "float32", 1);
    Manifest.Builder[] missingOne = {
      Manifest.builder().version(1).plaintextSha256(new byte[32]).plaintextSize(0),
      Manifest.builder().modelId("m").plaintextSha256(new byte[32]).plaintextSize(0),
      Manifest.builder().modelId("m").version(1).plaintextSize(0),
      Manifest.builder().modelId("m").version(1).plaintextSha256(new byte[32]),
    };
    for (Manifest.Builder b : missingOne) {
      b.input(x).output(x).dataClass("pci").minRuntimeVersion("1").createdAt(t).publisherKeyId("k");
      assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }
    Manifest.Builder noInput = Manifest.builder().modelId("m").version(1);
    noInput.plaintextSha256(new byte[32]).plaintextSize(0).output(x).dataClass("pci");
    noInput.minRuntimeVersion("1").createdAt(t).publisherKeyId("k");
    assertThatThrownBy(noInput::build).isInstanceOf(IllegalStateException.class);
    Manifest.Builder noOutput = Manifest.builder().modelId("m").version(1);
    noOutput.plaintextSha256(new byte[32]).plaintextSize(0).input(x).dataClass("pci");
    noOutput.minRuntimeVersion("1").createdAt(t).publisherKeyId("k");
    assertThatThrownBy(noOutput::build).isInstanceOf(IllegalStateException.class);
    Manifest.Builder noDataClass = Manifest.builder().modelId("m").version(1);
    noDataClass.plaintextSha256(new byte[32]).plaintextSize(0).input(x).output(x);
    noDataClass.minRuntimeVersion("1").createdAt(t).publisherKeyId("k");
    assertThatThrownBy(noDataClass::build).isInstanceOf(IllegalStateException.class);
    Manifest.Builder noRuntime =
        Manifest.builder().modelId("m").version(1).plaintextSha256(new byte[32]).plaintextSize(0);
    noRuntime.input(x).output(x).dataClass("pci").createdAt(t).publisherKeyId("k");
    assertThatThrownBy(noRuntime::build).isInstanceOf(IllegalStateException.class);
    Manifest.Builder noTime =
        Manifest.builder().modelId("m").version(1).plaintextSha256(new byte[32]).plaintextSize(0);
    noTime.input(x).output(x).dataClass("pci").minRuntimeVersion("1").publisherKeyId("k");
    assertThatThrownBy(noTime::build).isInstanceOf(IllegalStateException.class);
    Manifest.Builder noKey =
        Manifest.builder().modelId("m").version(1).plaintextSha256(new byte[32]).plaintextSize(0);
    noKey.input(x).output(x).dataClass("pci").minRuntimeVersion("1").createdAt(t);
    assertThatThrownBy(noKey::build).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aParsedManifestKeepsEveryMember() throws Exception {
    Manifest m = Manifest.parse(complete().build().encoded());
    assertThat(m.minRuntimeVersion()).isEqualTo("0.1.0");
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(m.outputs()).containsExactly(TensorSpec.of("y", "float32", 1));
    assertThat(m.toString()).isEqualTo("Manifest[m v1, 0 bytes, key k]");
    assertThat(m).hasSameHashCodeAs(complete().build());
    assertThat(m.hashCode()).isEqualTo(Arrays.hashCode(m.digest()));
    assertThat(m).isNotEqualTo(complete().version(2).build());
  }
}
