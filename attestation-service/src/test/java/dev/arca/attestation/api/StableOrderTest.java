// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A problem built from {@code Map.of} serialises in the same member order on every JVM run. */
class StableOrderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void unorderedMapsAndSetsAreSortedAtEveryDepthAndOrderedOnesKeepTheirOrder() throws Exception {
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put("zeta", 1);
    ordered.put("alpha", 2);
    Problem p =
        new Problem(
            URI.create("urn:arca:problem:test"),
            "Test",
            400,
            "detail",
            "/x",
            Map.of(
                "mismatches",
                List.of(Map.of("k", 1, "j", 2, "i", 3, "h", 4, "g", 5)),
                "unpinned",
                Set.of("rtmr3", "rtmr0", "mrtd", "rtmr2", "rtmr1"),
                "failures",
                List.of(ordered),
                "e",
                "5",
                "d",
                "4",
                "c",
                "3",
                "b",
                "2",
                "a",
                "1"));
    String json = JSON.writeValueAsString(p);
    // Standard members first, then the extensions sorted, nested Map.of and Set.of sorted too.
    assertThat(json.substring(json.indexOf("\"a\"")))
        .isEqualTo(
            "\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\",\"e\":\"5\","
                + "\"failures\":[{\"zeta\":1,\"alpha\":2}],"
                + "\"mismatches\":[{\"g\":5,\"h\":4,\"i\":3,\"j\":2,\"k\":1}],"
                + "\"unpinned\":[\"mrtd\",\"rtmr0\",\"rtmr1\",\"rtmr2\",\"rtmr3\"]}");
  }
}
