// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.AppraisalRecord;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.CompiledPolicy;
import dev.arca.appraisal.PolicyOutcome;
import dev.arca.attestation.registry.ModelRegistry;
import dev.arca.attestation.registry.ModelVersion;
import dev.arca.attestation.registry.PublisherKeyRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides each model an attestation asks for: the version must be published and not revoked, signed
 * by a publisher key that is still trusted, and list the data class; then the {@link Appraiser}
 * decides it with the policy (and records the decision). Permits of one version for several data
 * classes merge into one grant under the most restrictive obligations.
 */
@ApplicationScoped
public class ModelDecisions {

  @Inject ModelRegistry models;
  @Inject PublisherKeyRegistry publishers;
  @Inject Appraiser appraiser;

  /** What policy permitted for one model version: its data classes, under the joint outcome. */
  public record Permitted(ModelVersion mv, List<String> dataClasses, PolicyOutcome outcome) {
    Permitted and(Permitted other) {
      List<String> classes = new ArrayList<>(dataClasses);
      other.dataClasses.stream().filter(c -> !classes.contains(c)).forEach(classes::add);
      return new Permitted(mv, classes, outcome.mostRestrictive(other.outcome));
    }
  }

  /** The permitted versions (in request order) and the denials. */
  public record Decided(List<Permitted> permitted, List<AttestationResult.Denial> denied) {}

  /** Decides every request of one attestation. */
  public Decided decide(
      Connection tx,
      List<AttestationRequest.ModelRequest> requests,
      CompiledPolicy policy,
      Appraiser.Appraised appraised,
      AppraisalRecord.Device device,
      Instant now,
      AppraisalRecord.Builder record)
      throws SQLException {
    List<AttestationResult.Denial> denied = new ArrayList<>();
    Map<String, Permitted> permitted = new LinkedHashMap<>();
    for (AttestationRequest.ModelRequest m : requests) {
      Optional<ModelVersion> found =
          m.version() == null
              ? models.newestPublished(tx, m.modelId())
              : models.find(tx, m.modelId(), m.version()).filter(v -> !v.revoked());
      if (found.isEmpty()) {
        denied.add(
            new AttestationResult.Denial(m.modelId(), m.version(), "model-unavailable", List.of()));
        continue;
      }
      ModelVersion mv = found.get();
      if (!publishers.isActive(tx, mv.manifest().path("publisherKeyId").asText())) {
        denied.add(
            new AttestationResult.Denial(
                m.modelId(), mv.version(), "publisher-revoked", List.of()));
        continue;
      }
      if (!mv.dataClasses().contains(m.dataClass())) {
        denied.add(
            new AttestationResult.Denial(
                m.modelId(), mv.version(), "model-not-for-data-class", List.of()));
        continue;
      }
      PolicyOutcome outcome =
          appraiser.decide(
              policy,
              appraised,
              device,
              new AppraisalRecord.Model(
                  mv.modelId(), mv.version(), mv.dataClasses(), mv.labels(), mv.publishedBy()),
              m.dataClass(),
              m.purposeOrDefault(),
              now,
              record);
      if (!outcome.permitted()) {
        denied.add(
            new AttestationResult.Denial(
                m.modelId(), mv.version(), outcome.reason(), outcome.decidedBy()));
        continue;
      }
      permitted.merge(
          mv.modelId() + "@" + mv.version(),
          new Permitted(mv, List.of(m.dataClass()), outcome),
          Permitted::and);
    }
    return new Decided(List.copyOf(permitted.values()), denied);
  }

  /** Denials as the audit entry and the problem's {@code denials} extension list them. */
  static List<Map<String, Object>> toJson(List<AttestationResult.Denial> denials) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AttestationResult.Denial d : denials) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("modelId", d.modelId());
      if (d.version() != null) {
        m.put("version", d.version());
      }
      m.put("reason", d.reason());
      m.put("rules", d.rules());
      out.add(m);
    }
    return out;
  }
}
