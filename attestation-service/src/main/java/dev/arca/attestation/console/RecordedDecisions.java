// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ReplayException;
import dev.arca.attestation.audit.log.AuditQuery;
import dev.arca.attestation.audit.log.KeptBlobs;
import dev.arca.attestation.storage.Database;
import dev.arca.policy.impact.RecordedDecision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest decisions the log records, each with the exact policy input it was made on, as {@code
 * arca policy impact} reads them over HTTP: permits and policy denials, the kept evidence appraised
 * again with the service's own appraiser. Entries that cannot be replayed are counted.
 */
@ApplicationScoped
public class RecordedDecisions {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The decisions read, and how many appraisal entries could not be replayed. */
  public record Loaded(List<RecordedDecision> decisions, int notReplayable) {}

  @Inject Database db;
  @Inject KeptBlobs blobs;
  @Inject Appraiser appraiser;

  /** The decisions of the newest {@code entries} appraisal entries, oldest first. */
  public Loaded newest(int entries) {
    List<AuditQuery.Hit> hits = new ArrayList<>();
    for (String verdict : List.of("permit", "attestation/policy-denied")) {
      hits.addAll(db.read(AuditQuery.outcomes("attestation", verdict, entries)::runNewestFirst));
    }
    hits.sort((a, b) -> Long.compare(a.index(), b.index()));
    List<AuditQuery.Hit> newest = hits.subList(Math.max(0, hits.size() - entries), hits.size());
    AppraisalReplay replay = new AppraisalReplay(this::blob, appraiser);
    List<RecordedDecision> out = new ArrayList<>();
    int skipped = 0;
    for (AuditQuery.Hit h : newest) {
      try {
        JsonNode entry = JSON.readTree(new String(h.leaf(), StandardCharsets.UTF_8));
        List<RecordedDecision> recorded =
            replay.recordedDecisions(
                h.index(), entry.path("type").asText(), entry.at("/facts/detail"));
        if (recorded.isEmpty()) {
          skipped++;
        }
        out.addAll(recorded);
      } catch (ReplayException | IOException e) {
        skipped++;
      }
    }
    return new Loaded(out, skipped);
  }

  /** A kept blob by digest (the replay checks it against the digest). */
  private byte[] blob(String sha256Hex) throws IOException {
    return blobs
        .find(sha256Hex)
        .orElseThrow(() -> new IOException("the log keeps no blob " + sha256Hex));
  }
}
