// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
