// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The record an audit entry carries for replay: every field of its JSON form is checked on reading,
 * and a missing or mistyped one is refused by name (a replay must never run on a half-read record).
 */
class AppraisalRecordFormTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T = Instant.parse("2026-11-26T01:00:00Z");
  static final String H = "ab".repeat(32);

  static AppraisalRecord full() {
    return new AppraisalRecord.Builder("dev", T)
        .inputs(H, "bm9uY2U=", "a2V5", H)
        .device(new AppraisalRecord.Device("edge-1", "dev", "dev:1", H, Map.of("class", "box"), T))
        .appraisal(new AppraisalStatus("affirming", Map.of("executables", 2)))
        .referenceSets(List.of(new ReferenceSet("box", 3, "dev", "class:box", Map.of())))
        .policy(new AppraisalRecord.PolicyRef("p", 7, H))
        .decision(
            new AppraisalRecord.ModelDecision(
                new AppraisalRecord.Model("m", 2, List.of("phi"), Map.of("risk", "high"), "pub"),
                "phi",
                "treatment",
                true,
                List.of("r1"),
                "permitted"))
        .build();
  }

  static ObjectNode fullJson() {
    return JSON.valueToTree(full().toJson());
  }

  static void refusedNaming(Consumer<ObjectNode> edit, String field) {
    ObjectNode n = fullJson();
    edit.accept(n);
    assertThatThrownBy(() -> AppraisalRecord.fromJson(n))
        .as(n.toString())
        .isInstanceOfSatisfying(
            ReplayException.class,
            e -> {
              assertThat(e.id()).isEqualTo("audit.replay.record-malformed");
              assertThat(e.getMessage()).contains(field);
            });
  }

  static ObjectNode device(ObjectNode n) {
    return (ObjectNode) n.get("device");
  }

  static ObjectNode decision(ObjectNode n) {
    return (ObjectNode) n.get("decisions").get(0);
  }

  @Test
  void aFullRecordRoundTrips() throws Exception {
    assertThat(AppraisalRecord.fromJson(fullJson())).isEqualTo(full());
  }

  @Test
  void everyFieldIsCheckedByName() {
    refusedNaming(n -> n.remove("format"), "format");
    refusedNaming(n -> n.put("format", 1), "format");
    refusedNaming(n -> n.put("evidenceSha256", H.toUpperCase(Locale.ROOT)), "evidenceSha256");
    refusedNaming(n -> device(n).remove("attributes"), "attributes");
    refusedNaming(n -> device(n).putObject("attributes").put("class", 1), "attributes.class");
    refusedNaming(
        n -> ((ObjectNode) n.get("appraisal").get("trustVector")).put("executables", 2.5),
        "trustVector.executables");
    refusedNaming(
        n -> ((ObjectNode) n.get("appraisal").get("trustVector")).put("executables", "2"),
        "trustVector.executables");
    refusedNaming(n -> n.put("referenceSets", "box@3"), "referenceSets");
    refusedNaming(n -> ((ArrayNode) n.get("referenceSets")).set(0, 7), "referenceSets[]");
    refusedNaming(n -> ((ObjectNode) n.get("policy")).remove("version"), "version");
    refusedNaming(n -> n.put("decisions", "none"), "decisions");
    refusedNaming(n -> decision(n).remove("permitted"), "permitted");
    refusedNaming(n -> decision(n).put("permitted", "true"), "permitted");
    refusedNaming(n -> decision(n).remove("rules"), "rules");
    refusedNaming(n -> decision(n).put("modelLabels", "risk=high"), "modelLabels");
    refusedNaming(n -> decision(n).putObject("modelLabels").put("risk", 3), "risk");
    refusedNaming(n -> decision(n).putArray("rules").add(1), "rules[]");
    refusedNaming(n -> decision(n).put("rules", "r1"), "rules");
    refusedNaming(n -> device(n).put("attributes", "class=box"), "attributes");
    refusedNaming(
        n ->
            ((ObjectNode) n.get("policy"))
                .put("version", new java.math.BigInteger("1" + "0".repeat(30))),
        "version");
  }

  @Test
  void onlyAnObjectIsARecord() {
    for (var n : new com.fasterxml.jackson.databind.JsonNode[] {null, JSON.createArrayNode()}) {
      assertThatThrownBy(() -> AppraisalRecord.fromJson(n))
          .hasFieldOrPropertyWithValue("id", "audit.replay.record-malformed")
          .hasMessageContaining("is not an object");
    }
  }

  @Test
  void absentListsAndPublisherReadAsEmpty() throws Exception {
    AppraisalRecord r =
        new AppraisalRecord(
            "dev", null, T, null, null, null, null, null, null, null, null, null, null);
    assertThat(r.decisions()).isEmpty();
    assertThat(r.collateral()).isEmpty();
    assertThat(r.toJson()).doesNotContainKey("collateral");
    assertThat(new AppraisalRecord.Model("m", 1, List.of(), null).publisher()).isEmpty();
    assertThat(new AppraisalRecord.Builder(null, T).build().format()).isEmpty();
    ObjectNode n = fullJson();
    // A decision recorded before models had labels reads as one without labels.
    decision(n).remove("modelLabels");
    assertThat(AppraisalRecord.fromJson(n).decisions().get(0).model().labels()).isEmpty();
    assertThat(new AppraisalRecord.Model("m", 1, List.of(), null).labels()).isEmpty();
    n.remove("decisions");
    assertThat(AppraisalRecord.fromJson(n).decisions()).isEmpty();
  }
}
