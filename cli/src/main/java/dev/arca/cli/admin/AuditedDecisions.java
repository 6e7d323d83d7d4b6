// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.ReplayException;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.cli.adminapi.ServiceProblem;
import dev.arca.policy.impact.RecordedDecision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decisions recorded in the service's audit log ({@code attestation.appraised}, and {@code
 * attestation.rejected} for policy denials), each with the exact policy input it was made on: the
 * entry's replay record (device and its attributes at the time, appraisal, model, data class,
 * purpose, time) and the claims of the kept evidence verified again by {@link AppraisalReplay}
 * (module audit), the code {@code arca audit verify} runs. Entries without a replay record, or
 * whose evidence no longer verifies, are counted in {@link #skipped()}.
 */
final class AuditedDecisions {
  private final AdminClient client;
  private final List<RecordedDecision> decisions = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private int skipped;

  AuditedDecisions(AdminClient client) {
    this.client = client;
  }

  /** Reads the newest {@code limit} appraisal entries. */
  List<RecordedDecision> load(int limit) throws ServiceProblem {
    List<JsonNode> hits = new ArrayList<>();
    hits.addAll(client.auditSearch(AdminClient.filters("verdict", "permit", "limit", "100000")));
    hits.addAll(
        client.auditSearch(
            AdminClient.filters("verdict", "attestation/policy-denied", "limit", "100000")));
    hits.sort((a, b) -> Long.compare(a.path("index").asLong(), b.path("index").asLong()));
    AppraisalReplay replay =
        new AppraisalReplay(
            hex -> {
              try {
                return client.auditBlob(hex);
              } catch (ServiceProblem e) {
                throw new IOException(e.getMessage(), e);
              }
            });
    for (JsonNode h : hits.subList(Math.max(0, hits.size() - limit), hits.size())) {
      long index = h.path("index").asLong();
      JsonNode entry = h.path("entry");
      List<RecordedDecision> recorded;
      try {
        recorded =
            replay.recordedDecisions(index, entry.path("type").asText(), entry.at("/facts/detail"));
      } catch (ReplayException e) {
        skipped++;
        problems.add("audit#" + index + ": " + e.getMessage());
        continue;
      }
      if (recorded.isEmpty()) {
        skipped++;
      }
      decisions.addAll(recorded);
    }
    return List.copyOf(decisions);
  }

  /** Entries that could not be replayed. */
  int skipped() {
    return skipped;
  }

  /** Why entries could not be replayed, one line each. */
  List<String> problems() {
    return List.copyOf(problems);
  }
}
