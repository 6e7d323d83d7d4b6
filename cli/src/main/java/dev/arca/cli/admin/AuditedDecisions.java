package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.client.admin.AdminClient;
import dev.arca.client.admin.ServiceProblem;
import dev.arca.policy.DecisionInput;
import dev.arca.policy.DeviceFacts;
import dev.arca.policy.EarStatus;
import dev.arca.policy.EvidenceFacts;
import dev.arca.policy.ModelFacts;
import dev.arca.policy.TcbStatus;
import dev.arca.policy.impact.RecordedDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the service's recorded appraisals ({@code attestation.appraised}, and {@code
 * attestation.rejected} for policy denials) into policy decisions that can be replayed. What an
 * entry does not record is taken from the registries as they are now and said so in {@link
 * #assumptions()}: the device's attributes, the model's data classes, and hardware rooting from the
 * format (only {@code dev} is not hardware-rooted) unless the entry records it; TCB status is
 * {@code unknown}, as the service decides today. A request whose data class the entry does not
 * record cannot be replayed and is counted in {@link #skipped()}.
 */
final class AuditedDecisions {
  private final AdminClient client;
  private final Map<String, Optional<JsonNode>> devices = new HashMap<>();
  private final Map<String, Optional<JsonNode>> models = new HashMap<>();
  private final List<RecordedDecision> decisions = new ArrayList<>();
  private int skipped;

  AuditedDecisions(AdminClient client) {
    this.client = client;
  }

  static List<String> assumptions() {
    return List.of(
        "device attributes and model data classes are today's registry values",
        "hardwareRooted: recorded value, else every format but dev",
        "tcbStatus unknown and debug false (debug evidence never reaches policy)",
        "purpose: recorded value, else 'inference' (the service's default)");
  }

  /** Reads the newest {@code limit} appraisals. */
  List<RecordedDecision> load(int limit) throws ServiceProblem {
    List<JsonNode> hits = new ArrayList<>();
    hits.addAll(client.auditSearch(AdminClient.filters("verdict", "permit", "limit", "100000")));
    hits.addAll(
        client.auditSearch(
            AdminClient.filters("verdict", "attestation/policy-denied", "limit", "100000")));
    hits.sort((a, b) -> Long.compare(a.path("index").asLong(), b.path("index").asLong()));
    List<JsonNode> recent = hits.subList(Math.max(0, hits.size() - limit), hits.size());
    for (JsonNode h : recent) {
      add(h.path("index").asLong(), h.path("entry"));
    }
    return List.copyOf(decisions);
  }

  int skipped() {
    return skipped;
  }

  private void add(long index, JsonNode entry) throws ServiceProblem {
    String type = entry.path("type").asText();
    if (!type.equals("attestation.appraised") && !type.equals("attestation.rejected")) {
      return;
    }
    JsonNode facts = entry.path("facts");
    JsonNode detail = facts.path("detail");
    String deviceId = facts.path("subject").asText().replaceFirst("^device:", "");
    Optional<JsonNode> device = device(deviceId);
    if (device.isEmpty()) {
      skipped++;
      return;
    }
    Instant time = Instant.parse(entry.path("time").asText());
    String format = detail.path("format").asText("");
    boolean hardware =
        detail.has("hardwareRooted")
            ? detail.path("hardwareRooted").asBoolean()
            : !format.equals("dev");
    String status = detail.path("status").asText("none");
    EvidenceFacts evidence =
        EvidenceFacts.builder()
            .format(format)
            .hardwareRooted(hardware)
            .debug(false)
            .tcbStatus(TcbStatus.UNKNOWN)
            .earStatus(earStatus(status))
            .build();
    for (JsonNode g : detail.path("grants")) {
      String[] mv = g.path("model").asText().split("@", 2);
      if (mv.length != 2) {
        skipped++;
        continue;
      }
      decide(
          index,
          time,
          device.get(),
          evidence,
          mv[0],
          Long.parseLong(mv[1]),
          g.path("dataClass").asText(null),
          g.path("purpose").asText("inference"),
          true,
          g.path("rules"));
    }
    for (JsonNode d : detail.path("denials")) {
      if (!d.has("dataClass") || !d.has("version")) {
        skipped++;
        continue;
      }
      decide(
          index,
          time,
          device.get(),
          evidence,
          d.path("modelId").asText(),
          d.path("version").asLong(),
          d.path("dataClass").asText(),
          d.path("purpose").asText("inference"),
          false,
          d.path("rules"));
    }
  }

  private void decide(
      long index,
      Instant time,
      JsonNode device,
      EvidenceFacts evidence,
      String modelId,
      long version,
      String dataClass,
      String purpose,
      boolean permitted,
      JsonNode rules)
      throws ServiceProblem {
    Optional<JsonNode> model = model(modelId, version);
    if (dataClass == null || model.isEmpty()) {
      skipped++;
      return;
    }
    Map<String, String> attrs = new HashMap<>();
    device
        .path("attributes")
        .properties()
        .forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
    List<String> classes = new ArrayList<>();
    model.get().path("manifest").path("dataClasses").forEach(c -> classes.add(c.asText()));
    DecisionInput in =
        DecisionInput.builder()
            .device(
                DeviceFacts.builder()
                    .id(device.path("id").asText())
                    .deviceClass(attrs.getOrDefault("class", ""))
                    .site(attrs.getOrDefault("site", ""))
                    .owner(attrs.getOrDefault("owner", ""))
                    .attributes(attrs)
                    .enrolmentMethod(device.path("format").asText())
                    .enrolledAt(Instant.parse(device.path("enrolledAt").asText()))
                    .revoked(false)
                    .build())
            .evidence(evidence)
            .model(
                ModelFacts.builder()
                    .id(modelId)
                    .version(version)
                    .labels(Map.of())
                    .dataClasses(classes)
                    .publisher(model.get().path("publishedBy").asText(""))
                    .build())
            .dataClass(dataClass)
            .purpose(purpose)
            .time(time)
            .build();
    List<String> r = new ArrayList<>();
    rules.forEach(x -> r.add(x.asText()));
    decisions.add(
        new RecordedDecision(
            "audit#"
                + index
                + " "
                + device.path("id").asText()
                + " "
                + modelId
                + "@"
                + version
                + " "
                + dataClass,
            in,
            permitted,
            r));
  }

  private static EarStatus earStatus(String s) {
    try {
      return EarStatus.fromCelValue(s);
    } catch (IllegalArgumentException e) {
      return EarStatus.NONE;
    }
  }

  private Optional<JsonNode> device(String id) throws ServiceProblem {
    if (!devices.containsKey(id)) {
      for (JsonNode d : client.devices(1000)) {
        devices.put(d.path("id").asText(), Optional.of(d));
      }
      devices.putIfAbsent(id, Optional.empty());
    }
    return devices.get(id);
  }

  private Optional<JsonNode> model(String id, long version) throws ServiceProblem {
    String key = id + "@" + version;
    if (!models.containsKey(key)) {
      try {
        for (JsonNode v : client.modelVersions(id)) {
          models.put(id + "@" + v.path("version").asLong(), Optional.of(v));
        }
      } catch (ServiceProblem e) {
        if (e.status() != 404) {
          throw e;
        }
      }
      models.putIfAbsent(key, Optional.empty());
    }
    return models.get(key);
  }
}
