package dev.arca.attestation.appraisal;

import java.util.List;
import java.util.Map;

/**
 * The result of appraising verified claims against the device registry and reference values.
 *
 * @param status EAR status: {@code affirming}, {@code warning} or {@code contraindicated}
 * @param trustVector EAR trustworthiness vector by AR4SI claim name
 * @param referenceSets the reference-value sets used, as {@code name@version}
 * @param mismatches every measurement that matched no reference value, as stable ids {@code
 *     reference.<set>.<register>}
 */
public record Appraisal(
    String status,
    Map<String, Integer> trustVector,
    List<String> referenceSets,
    List<String> mismatches) {}
