// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.crypto.bhttp.BhttpResponse;
import dev.arca.crypto.bhttp.BinaryHttp;
import dev.arca.crypto.bhttp.Field;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Binary HTTP (RFC 9292) framing of inference messages, checked byte by byte. */
class InferenceHttpTest {
  static final Tensor X = tensor();

  private static Tensor tensor() {
    try {
      return Tensor.ofFloats("x", new long[] {2}, new float[] {1f, 2f});
    } catch (TensorFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A length prefix below 64 is one byte; a longer one (below 16384) two, tagged 0b01. */
  private static void prefixed(ByteArrayOutputStream out, byte[] b) {
    if (b.length < 64) {
      out.write(b.length);
    } else {
      out.write(0x40 | (b.length >> 8));
      out.write(b.length & 0xff);
    }
    out.writeBytes(b);
  }

  @Test
  void aRequestIsAKnownLengthPostToV1InferWithAJsonBody() throws Exception {
    var request = new InferenceMessages.Request("m", "phi", "triage", Map.of("x", X));
    byte[] json = InferenceMessages.encode(request);
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.write(0); // framing indicator: known-length request
    prefixed(want, ascii("POST"));
    prefixed(want, ascii("https"));
    prefixed(want, ascii("rt.example:8443"));
    prefixed(want, ascii("/v1/infer"));
    want.write(1 + 12 + 1 + 16); // field section length
    prefixed(want, ascii("content-type"));
    prefixed(want, ascii("application/json"));
    prefixed(want, json);
    want.write(0); // no trailers
    assertThat(HexFormat.of().formatHex(InferenceHttp.encodeRequest(request, "rt.example:8443")))
        .isEqualTo(HexFormat.of().formatHex(want.toByteArray()));
  }

  @Test
  void answersRoundTripWithTheirStatusAndMediaType() throws Exception {
    var ok = new InferenceMessages.Response("m", 3, Map.of("y", X.named("y")));
    BhttpResponse okHttp = InferenceHttp.answer(ok);
    assertThat(okHttp.status()).isEqualTo(200);
    assertThat(okHttp.fields()).containsExactly(Field.of("content-type", "application/json"));
    assertThat(InferenceHttp.decodeAnswer(InferenceHttp.encodeAnswer(ok))).isEqualTo(ok);

    var refusal = new InferenceMessages.Refusal("infer.rate-limited", "3 per minute");
    byte[] bytes = InferenceHttp.encodeAnswer(refusal);
    assertThat(bytes[0]).as("known-length response").isEqualTo((byte) 1);
    BhttpResponse no = BinaryHttp.decodeResponse(bytes);
    assertThat(no.status()).isEqualTo(429);
    assertThat(no.fields()).containsExactly(Field.of("content-type", "application/problem+json"));
    assertThat(new String(no.content(), StandardCharsets.UTF_8))
        .contains("\"type\":\"https://arca.dev/problems/runtime/infer.rate-limited\"");
    assertThat(InferenceHttp.decodeAnswer(bytes)).isEqualTo(refusal);
  }

  @Test
  void refusalStatusesFollowTheDocumentedTable() {
    Map<String, Integer> table =
        Map.ofEntries(
            Map.entry("infer.malformed-request", 400),
            Map.entry("tensor.truncated", 400),
            Map.entry("bhttp.malformed", 400),
            Map.entry("lease.data-class-not-granted", 403),
            Map.entry("infer.unknown-model", 404),
            Map.entry("infer.not-found", 404),
            Map.entry("infer.method-not-allowed", 405),
            Map.entry("infer.too-large", 413),
            Map.entry("infer.unsupported-media-type", 415),
            Map.entry("infer.tensor-mismatch", 422),
            Map.entry("tensor.rejected-by-model", 422),
            Map.entry("infer.rate-limited", 429),
            Map.entry("infer.model-failed", 500),
            Map.entry("lease.expired", 503),
            Map.entry("lease.refused", 503));
    table.forEach(
        (id, status) ->
            assertThat(InferenceMessages.Refusal.statusFor(id)).as(id).isEqualTo(status));
  }

  @Test
  void anIndeterminateLengthAnswerIsReadToo() throws Exception {
    var ok = new InferenceMessages.Response("m", 1, Map.of("y", X.named("y")));
    byte[] json = InferenceMessages.encode(ok);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(3); // framing indicator: indeterminate-length response
    b.write(0x40);
    b.write(200); // status 200 as a two-byte varint
    prefixed(b, ascii("Content-Type"));
    prefixed(b, ascii("application/json; charset=utf-8"));
    b.write(0); // end of fields
    prefixed(b, json);
    b.write(0); // end of content
    b.write(0); // end of trailers
    assertThat(InferenceHttp.decodeAnswer(b.toByteArray())).isEqualTo(ok);
  }

  @Test
  void answersThatAreNotWhatTheProtocolSaysAreMalformed() {
    byte[] json = InferenceMessages.encode(new InferenceMessages.Response("m", 1, Map.of()));
    List<byte[]> bad =
        List.of(
            new byte[0],
            new byte[] {0, 4, 'P', 'O', 'S', 'T'}, // a request
            BinaryHttp.encode(
                BhttpResponse.of(200, List.of(Field.of("content-type", "text/plain")), json)),
            BinaryHttp.encode(BhttpResponse.of(200, List.of(), json)),
            BinaryHttp.encode(
                BhttpResponse.of(404, List.of(Field.of("content-type", "application/json")), json)),
            BinaryHttp.encode(
                BhttpResponse.of(
                    403,
                    List.of(Field.of("content-type", "application/problem+json")),
                    ascii("{\"title\":\"no type\"}"))));
    for (byte[] b : bad) {
      assertThatThrownBy(() -> InferenceHttp.decodeAnswer(b))
          .as(HexFormat.of().formatHex(b))
          .isInstanceOfSatisfying(
              TensorFormatException.class,
              e -> assertThat(e.id()).isEqualTo("infer.malformed-response"));
    }
  }
}
