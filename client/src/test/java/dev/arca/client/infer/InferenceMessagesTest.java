// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceMessagesTest {

  @Test
  void requestsAndResponsesRoundTrip() throws Exception {
    Tensor x = Tensor.ofFloats("x", new long[] {2}, new float[] {1f, 2f});
    var req = new InferenceMessages.Request("m", "phi", "triage", Map.of("x", x));
    assertThat(InferenceMessages.decodeRequest(InferenceMessages.encode(req))).isEqualTo(req);
    var res = new InferenceMessages.Response("m", 3, Map.of("y", x.named("y")));
    assertThat(InferenceMessages.decodeResponse(InferenceMessages.encode(res))).isEqualTo(res);
    var refusal = new InferenceMessages.Refusal("lease.expired", "re-attest");
    assertThat(refusal.status()).isEqualTo(503);
    assertThat(InferenceMessages.decodeProblem(InferenceMessages.encode(refusal), 503))
        .isEqualTo(refusal);
  }

  @Test
  void malformedRequestsHaveAnId() {
    for (String bad :
        new String[] {
          "[]",
          "{",
          "{\"model\":\"m\"}",
          "{\"model\":\"m\",\"dataClass\":\"c\"}",
          "{\"model\":\"m\",\"dataClass\":\"c\",\"inputs\":{\"x\":\"***\"}}"
        }) {
      assertThatThrownBy(
              () -> InferenceMessages.decodeRequest(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOfSatisfying(
              TensorFormatException.class,
              e -> assertThat(e.id()).isEqualTo("infer.malformed-request"));
    }
  }
}
