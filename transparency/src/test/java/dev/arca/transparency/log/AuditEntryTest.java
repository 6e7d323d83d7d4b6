// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.transparency.json.CanonicalJsonException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEntryTest {
  static ObjectNode appraisalFacts() {
    ObjectNode f = JsonNodeFactory.instance.objectNode();
    f.put("verdict", "affirming");
    f.put(
        "evidenceDigest",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    f.put("evidenceFormat", "tpm2-quote");
    f.putObject("policy").put("name", "clinical").put("version", 7);
    f.putArray("matchedRules").add("permit-clinic-devices");
    return f;
  }

  @Test
  void leafBytesAreCanonicalJsonWithSortedMembers() throws Exception {
    AuditEntry e =
        AuditEntry.of(
            "appraisal",
            Instant.parse("2026-11-25T21:30:00.123456Z"),
            "device:7f3a",
            appraisalFacts());
    assertThat(new String(e.leafBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"actor\":\"device:7f3a\",\"facts\":{\"evidenceDigest\":\"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
                + "\"evidenceFormat\":\"tpm2-quote\",\"matchedRules\":[\"permit-clinic-devices\"],"
                + "\"policy\":{\"name\":\"clinical\",\"version\":7},\"verdict\":\"affirming\"},"
                + "\"time\":\"2026-11-25T21:30:00.123Z\",\"type\":\"appraisal\"}");
    assertThat(AuditEntry.fromLeafBytes(e.leafBytes())).isEqualTo(e);
    assertThat(e.time()).isEqualTo(Instant.parse("2026-11-25T21:30:00.123Z"));
  }

  @Test
  void factsAreCopiedSoTheEntryCannotChange() throws Exception {
    ObjectNode facts = appraisalFacts();
    AuditEntry e = AuditEntry.of("appraisal", Instant.EPOCH, "device:1", facts);
    byte[] before = e.leafBytes();
    facts.put("verdict", "contraindicated");
    e.facts().put("verdict", "contraindicated");
    assertThat(e.leafBytes()).isEqualTo(before);
  }

  @Test
  void floatsAreRejectedWithAClearId() {
    ObjectNode facts = JsonNodeFactory.instance.objectNode().put("score", 0.5);
    assertThatThrownBy(() -> AuditEntry.of("appraisal", Instant.EPOCH, "a", facts))
        .isInstanceOfSatisfying(
            CanonicalJsonException.class, x -> assertThat(x.id()).isEqualTo("json.float"));
  }

  @Test
  void mapFactsGiveTheSameLeafAsTreeFacts() throws Exception {
    java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
    facts.put("verdict", "affirming");
    facts.put(
        "evidenceDigest",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    facts.put("evidenceFormat", "tpm2-quote");
    facts.put("policy", java.util.Map.of("name", "clinical", "version", 7));
    facts.put("matchedRules", java.util.List.of("permit-clinic-devices"));
    Instant t = Instant.parse("2026-11-25T21:30:00Z");
    assertThat(AuditEntry.of("appraisal", t, "device:7f3a", facts).leafBytes())
        .isEqualTo(AuditEntry.of("appraisal", t, "device:7f3a", appraisalFacts()).leafBytes());
    assertThatThrownBy(
            () -> AuditEntry.of("appraisal", t, "device:7f3a", java.util.Map.of("score", 0.5)))
        .isInstanceOfSatisfying(
            CanonicalJsonException.class, x -> assertThat(x.id()).isEqualTo("json.float"));
  }

  @Test
  void leafBytesMustBeExactlyCanonical() {
    assertNotEntry("{\"actor\":\"a\",\"facts\":{},\"time\":\"1970-01-01T00:00:00Z\"}");
    assertNotEntry(
        "{\"actor\":\"a\",\"extra\":1,\"facts\":{},\"time\":\"1970-01-01T00:00:00Z\",\"type\":\"t\"}");
    assertNotEntry(
        "{\"actor\":\"a\",\"facts\":{},\"time\":\"1970-01-01T00:00:00.000Z\",\"type\":\"t\"}");
    assertNotEntry("{\"actor\":\"a\",\"facts\":{},\"time\":\"yesterday\",\"type\":\"t\"}");
    assertNotEntry(
        "{\"actor\":\"a\",\"facts\":[],\"time\":\"1970-01-01T00:00:00Z\",\"type\":\"t\"}");
    assertNotEntry(
        "{\"type\":\"t\",\"actor\":\"a\",\"facts\":{},\"time\":\"1970-01-01T00:00:00Z\"}");
    assertNotEntry(
        "{\"actor\":\"\",\"facts\":{},\"time\":\"1970-01-01T00:00:00Z\",\"type\":\"t\"}");
  }

  private static void assertNotEntry(String json) {
    assertThatThrownBy(() -> AuditEntry.fromLeafBytes(json.getBytes(StandardCharsets.UTF_8)))
        .as(json)
        .isInstanceOf(CanonicalJsonException.class);
  }
}
