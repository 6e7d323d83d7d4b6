// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void sortsMembersByUtf16CodeUnitsAsRfc8785Section323() throws Exception {
    // The property-sorting example of RFC 8785 section 3.2.3.
    String in =
        "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet"
            + " With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\","
            + "\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    String out = canon(in);
    assertThat(out)
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin"
                + " Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji:"
                + " Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void escapesOnlyWhatTheRfcRequires() throws Exception {
    assertThat(canon("[\"\\u001f\\u007f\\b\\t\\n\\f\\r\\\"\\\\/\\u00e9<\"]"))
        .isEqualTo("[\"\\u001f\u007f\\b\\t\\n\\f\\r\\\"\\\\/\u00e9<\"]");
  }

  @Test
  void nestedValuesAndWhitespaceAreNormalised() throws Exception {
    assertThat(
            canon(" { \"b\" : [ 1 , -2 , true , null ] , \"a\" : { \"z\" : 0 , \"y\" : \"\" } } "))
        .isEqualTo("{\"a\":{\"y\":\"\",\"z\":0},\"b\":[1,-2,true,null]}");
    String c = canon("{\"b\":1,\"a\":2}");
    assertThat(canon(c)).isEqualTo(c);
  }

  @Test
  void integersBeyondTwoToThe53AndFloatsAreRejected() throws Exception {
    assertThat(canon("[9007199254740991,-9007199254740991]"))
        .isEqualTo("[9007199254740991,-9007199254740991]");
    assertRejected("[9007199254740992]", "json.integer-range");
    assertRejected("[1.5]", "json.float");
    assertRejected("[1e3]", "json.float");
    assertRejected("[1.0]", "json.float");
  }

  @Test
  void parsingIsStrict() {
    assertRejected("{\"a\":1,\"a\":2}", "json.duplicate-key");
    assertRejected("{\"a\":1} x", "json.syntax");
    assertRejected("[NaN]", "json.syntax");
    assertRejected("\"\\ud800\"", "json.unpaired-surrogate");
    assertThatThrownBy(
            () ->
                CanonicalJson.parseCanonical("{\"b\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            CanonicalJsonException.class, e -> assertThat(e.id()).isEqualTo("json.not-canonical"));
  }

  private static String canon(String json) throws CanonicalJsonException {
    return new String(
        CanonicalJson.canonicalize(CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8);
  }

  private static void assertRejected(String json, String id) {
    assertThatThrownBy(() -> canon(json))
        .as(json)
        .isInstanceOfSatisfying(
            CanonicalJsonException.class, e -> assertThat(e.id()).isEqualTo(id));
  }
}
