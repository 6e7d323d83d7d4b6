// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.evidence.Claims;
import dev.arca.evidence.Trustworthiness;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The EAR status and trustworthiness vector of an appraisal: the verifier's vector, with {@code
 * executables} affirming when reference-value sets applied and every measurement matched one (an
 * appraisal with a mismatch is rejected before a status exists).
 *
 * @param status {@code affirming}, {@code warning}, {@code contraindicated} or {@code none}
 * @param trustVector AR4SI claim name to value, in claim order
 */
public record AppraisalStatus(String status, Map<String, Integer> trustVector) {
  /** Copies the vector. */
  public AppraisalStatus {
    trustVector = Map.copyOf(trustVector);
  }

  /**
   * Derives the status from verified claims.
   *
   * @param claims verified claims
   * @param referenceSetsApplied whether at least one reference-value set applied (and matched)
   */
  public static AppraisalStatus of(Claims claims, boolean referenceSetsApplied) {
    Trustworthiness tv = claims.trustworthiness();
    if (referenceSetsApplied) {
      tv = tv.with(Trustworthiness.Claim.EXECUTABLES, Trustworthiness.AFFIRMING);
    }
    Map<String, Integer> vector = new LinkedHashMap<>();
    tv.values().forEach((k, v) -> vector.put(k.jsonName(), v));
    String status =
        switch (tv.tier()) {
          case CONTRAINDICATED -> "contraindicated";
          case WARNING -> "warning";
          case AFFIRMING -> "affirming";
          case NONE -> "none";
        };
    return new AppraisalStatus(status, vector);
  }
}
