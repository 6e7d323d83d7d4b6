// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** How the admin commands' stand-in services answer: JSON, or a problem document on failure. */
final class StandInAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StandInAnswers() {}

  /** A problem document of type {@code urn:arca:problem:<type>}. */
  static ObjectNode problem(String type, String detail) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "urn:arca:problem:" + type);
    p.put("detail", detail);
    return p;
  }

  /** Sends {@code body} with {@code status}, as problem+json from 400 on, and closes. */
  static void answer(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders()
        .set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
