// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.appraisal.AppraisalReplay;
import dev.arca.appraisal.Appraiser;

/**
 * The auditor's replay ({@code arca audit verify}) against this service: kept blobs fetched as
 * {@code auditor} from {@code /v1/audit/evidence/{sha256}}.
 */
public final class AuditorReplay {
  private AuditorReplay() {}

  /** With the built-in roots, as {@code arca audit verify} runs. */
  public static AppraisalReplay builtin() {
    return with(Appraiser.builtin());
  }

  /** With {@code appraiser} (e.g. one that also trusts this run's test roots, as the service). */
  public static AppraisalReplay with(Appraiser appraiser) {
    return new AppraisalReplay(
        hex ->
            Api.as("auditor")
                .get("/v1/audit/evidence/" + hex)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray(),
        appraiser);
  }
}
