// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {
  @Test
  void canonicalEncodingRoundTripsAndHasAStableDigest() throws Exception {
    Manifest m = TestModels.manifestFor(new byte[] {1, 2, 3}, "pub-1");
    Manifest parsed = Manifest.parse(m.encoded());
    assertThat(parsed).isEqualTo(m);
    assertThat(parsed.digest()).isEqualTo(m.digest());
    assertThat(parsed.dataClasses()).containsExactly("pci", "phi");
    assertThat(parsed.inputs().get(0).shape()).containsExactly(1, 30);
    String json = new String(m.encoded(), StandardCharsets.UTF_8);
    assertThat(json)
        .startsWith("{\"format\":\"arca.sealed-model.manifest/v1\",\"modelId\":\"fraud-detector\"")
        .endsWith("\"cipher\":\"AES256_GCM_HKDF_1MB\"}");
  }

  @Test
  void nonCanonicalOrInvalidManifestsAreRefused() throws Exception {
    String json =
        new String(
            TestModels.manifestFor(new byte[] {1}, "pub-1").encoded(), StandardCharsets.UTF_8);
    String[] bad = {
      json.replace(",\"version\":7", ",\"version\":7.0"),
      json.replace("{\"format\"", "{ \"format\""),
      json.replace("\"version\":7", "\"version\":0"),
      json.replace("\"version\":7", "\"version\":\"7\""),
      json.replace(",\"cipher\":\"AES256_GCM_HKDF_1MB\"", ""),
      json.replace("\"cipher\":\"AES256_GCM_HKDF_1MB\"", "\"cipher\":\"AES128_GCM_HKDF_4KB\""),
      json.replace("}", ",\"extra\":1}").replaceFirst(",\"extra\":1}", "}"),
      json + " ",
      json.replace("\"phi\"", "\"pci\""),
      json.replace(
          "\"modelId\":\"fraud-detector\"", "\"modelId\":\"fraud-detector\",\"modelId\":\"x\""),
      json.replace("arca.sealed-model.manifest/v1", "arca.sealed-model.manifest/v2"),
      "[]",
      "",
    };
    for (String b : bad) {
      assertThatThrownBy(() -> Manifest.parse(b.getBytes(StandardCharsets.UTF_8)))
          .as(b)
          .isInstanceOfSatisfying(
              SealException.class, e -> assertThat(e.id()).isEqualTo("seal.bad-manifest"));
    }
  }

  @Test
  void labelsAreSignedSortedAndLeftOutWhenThereAreNone() throws Exception {
    Manifest m =
        ManifestRefusalsTest.complete().label("risk", "high").label("pci-approved", "true").build();
    String json = new String(m.encoded(), StandardCharsets.UTF_8);
    assertThat(json)
        .contains(
            "\"dataClasses\":[\"pci\"],\"labels\":{\"pci-approved\":\"true\",\"risk\":\"high\"},"
                + "\"minRuntimeVersion\"");
    Manifest parsed = Manifest.parse(m.encoded());
    assertThat(parsed.labels())
        .containsExactly(entry("pci-approved", "true"), entry("risk", "high"));
    assertThat(parsed).isEqualTo(m);
    // No labels, no member: manifests sealed before labels existed parse unchanged.
    Manifest plain = ManifestRefusalsTest.complete().build();
    assertThat(new String(plain.encoded(), StandardCharsets.UTF_8)).doesNotContain("labels");
    assertThat(Manifest.parse(plain.encoded()).labels()).isEmpty();
  }

  @Test
  void labelsOutOfOrderEmptyOrMalformedAreRefused() {
    String json =
        new String(
            ManifestRefusalsTest.complete().label("a", "1").label("b", "2").build().encoded(),
            StandardCharsets.UTF_8);
    String[] bad = {
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "{\"b\":\"2\",\"a\":\"1\"}"),
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "{}"),
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":1,\"b\":\"2\"}"),
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "{\"A\":\"1\",\"b\":\"2\"}"),
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"1\",\"a\":\"2\"}"),
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"\\n\",\"b\":\"2\"}"),
      json.replace("{\"a\":\"1\",\"b\":\"2\"}", "[\"a\"]"),
      json.replace(",\"labels\":{\"a\":\"1\",\"b\":\"2\"}", "")
          .replace("\"cipher\"", "\"labels\":{\"a\":\"1\"},\"cipher\""),
    };
    for (String b : bad) {
      assertThatThrownBy(() -> Manifest.parse(b.getBytes(StandardCharsets.UTF_8)))
          .as(b)
          .isInstanceOfSatisfying(
              SealException.class, e -> assertThat(e.id()).isEqualTo("seal.bad-manifest"));
    }
    Manifest.Builder b = ManifestRefusalsTest.complete();
    for (int i = 0; i < 32; i++) {
      b.label("k" + i, "v");
    }
    assertThatThrownBy(() -> b.label("k32", "v")).hasMessageContaining("at most 32 labels");
    assertThatThrownBy(() -> ManifestRefusalsTest.complete().label("a", "x".repeat(257)))
        .hasMessageContaining("at most 256 printable ASCII");
  }
}
