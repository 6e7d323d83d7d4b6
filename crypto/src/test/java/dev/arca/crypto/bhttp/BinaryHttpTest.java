// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import static dev.arca.crypto.Hex.decode;
import static dev.arca.crypto.Hex.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9292 Figures 8, 9, 11, 13 (vectors/bhttp) and the RFC 9458 Appendix A messages. */
class BinaryHttpTest {
  static JsonNode examples;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        BinaryHttpTest.class.getResourceAsStream("/vectors/bhttp/rfc9292-examples.json")) {
      examples = new ObjectMapper().readTree(in).get("examples");
    }
  }

  static JsonNode example(String name) {
    for (JsonNode e : examples) {
      if (e.get("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError(name);
  }

  static List<Field> fields(JsonNode arr) {
    List<Field> out = new ArrayList<>();
    for (JsonNode f : arr) {
      out.add(Field.of(f.get(0).asText(), f.get(1).asText()));
    }
    return out;
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void requestsOfBothFramingsDecodeAndTheKnownLengthOneReEncodesExactly() throws Exception {
    for (String name :
        new String[] {"figure_8_known_length_request", "figure_9_indeterminate_length_request"}) {
      JsonNode e = example(name);
      JsonNode d = e.get("decoded");
      byte[] bytes = decode(e.get("bhttp_hex").asText());
      assertThat(bytes).hasSize(e.get("length").asInt());
      BhttpRequest r = BinaryHttp.decodeRequest(bytes);
      assertThat(r.method()).isEqualTo(d.get("method").asText());
      assertThat(r.scheme()).isEqualTo(d.get("scheme").asText());
      assertThat(r.authority()).isEqualTo(d.get("authority").asText());
      assertThat(r.path()).isEqualTo(d.get("path").asText());
      assertThat(r.fields()).isEqualTo(fields(d.get("header_fields")));
      assertThat(latin1(r.content())).isEqualTo(d.get("content").asText());
      assertThat(r.trailers()).isEqualTo(fields(d.get("trailer_fields")));
      if (d.get("framing_indicator").asInt() == 0) {
        assertThat(encode(BinaryHttp.encode(r))).isEqualTo(e.get("bhttp_hex").asText());
      }
    }
  }

  @Test
  void responsesOfBothFramingsDecodeAndTheKnownLengthOneReEncodesExactly() throws Exception {
    for (String name :
        new String[] {
          "figure_11_indeterminate_length_response", "figure_13_known_length_response"
        }) {
      JsonNode e = example(name);
      JsonNode d = e.get("decoded");
      byte[] bytes = decode(e.get("bhttp_hex").asText());
      BhttpResponse r = BinaryHttp.decodeResponse(bytes);
      assertThat(r.status()).isEqualTo(d.get("status").asInt());
      assertThat(r.informational()).hasSize(d.get("informational").size());
      for (int i = 0; i < r.informational().size(); i++) {
        JsonNode inf = d.get("informational").get(i);
        assertThat(r.informational().get(i).status()).isEqualTo(inf.get("status").asInt());
        assertThat(r.informational().get(i).fields()).isEqualTo(fields(inf.get("fields")));
      }
      assertThat(r.fields()).isEqualTo(fields(d.get("header_fields")));
      assertThat(latin1(r.content())).isEqualTo(d.get("content").asText());
      assertThat(r.trailers()).isEqualTo(fields(d.get("trailer_fields")));
      if (d.get("framing_indicator").asInt() == 1) {
        assertThat(encode(BinaryHttp.encode(r))).isEqualTo(e.get("bhttp_hex").asText());
      }
    }
  }

  @Test
  void truncatedMessagesFromTheOhttpExampleDecode() throws Exception {
    BhttpRequest req =
        BinaryHttp.decodeRequest(decode("00034745540568747470730b6578616d706c652e636f6d012f"));
    assertThat(req.method()).isEqualTo("GET");
    assertThat(req.authority()).isEqualTo("example.com");
    assertThat(req.path()).isEqualTo("/");
    assertThat(req.fields()).isEmpty();
    BhttpResponse resp = BinaryHttp.decodeResponse(decode("0140c8"));
    assertThat(resp.status()).isEqualTo(200);
    assertThat(resp.content()).isEmpty();
  }

  @Test
  void badMessagesHaveIds() {
    String fig8 = example("figure_8_known_length_request").get("bhttp_hex").asText();
    byte[] good = decode(fig8);
    assertThatThrownBy(() -> BinaryHttp.decodeResponse(good))
        .isInstanceOfSatisfying(
            BhttpException.class, e -> assertThat(e.id()).isEqualTo("bhttp.bad-framing"));
    byte[] cut = java.util.Arrays.copyOf(good, 20);
    assertThatThrownBy(() -> BinaryHttp.decodeRequest(cut))
        .isInstanceOfSatisfying(
            BhttpException.class, e -> assertThat(e.id()).isEqualTo("bhttp.malformed"));
    byte[] padded = java.util.Arrays.copyOf(good, good.length + 3);
    padded[padded.length - 1] = 1;
    assertThatThrownBy(() -> BinaryHttp.decodeRequest(padded))
        .isInstanceOfSatisfying(
            BhttpException.class, e -> assertThat(e.id()).isEqualTo("bhttp.bad-padding"));
    assertThatThrownBy(() -> BinaryHttp.decodeResponse(decode("01405a")))
        .isInstanceOfSatisfying(
            BhttpException.class, e -> assertThat(e.id()).isEqualTo("bhttp.malformed"));
  }

  @Test
  void roundTripsBinaryContent() throws Exception {
    byte[] body = new byte[300];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    BhttpRequest r =
        new BhttpRequest(
            "POST",
            "https",
            "runtime",
            "/v1/infer",
            List.of(
                Field.of("content-type", "application/json"), Field.of("arca-data-class", "phi")),
            body,
            List.of());
    assertThat(BinaryHttp.decodeRequest(BinaryHttp.encode(r))).isEqualTo(r);
    BhttpResponse s =
        BhttpResponse.of(200, List.of(Field.of("content-type", "application/json")), body);
    assertThat(BinaryHttp.decodeResponse(BinaryHttp.encode(s))).isEqualTo(s);
  }
}
