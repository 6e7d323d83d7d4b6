// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The service's two device endpoints, scripted on loopback: it hands out challenges and records the
 * attestation a runtime process sends, answering with a token and no grants. These tests are about
 * the runtime process (what it refuses, what it reports); whether the service appraises that report
 * correctly is tested against the real service in attestation-service.
 */
final class AttestationRecorder implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();

  AttestationRecorder() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/v1/challenges", this::challenge);
    server.createContext("/v1/attestations", this::attestation);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next attestation request received, or null after the timeout. */
  JsonNode next(long seconds) throws InterruptedException {
    return received.poll(seconds, TimeUnit.SECONDS);
  }

  private void challenge(HttpExchange ex) throws IOException {
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    ObjectNode n = JSON.createObjectNode();
    n.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    n.put("expiresAt", Instant.now().plusSeconds(60).toString());
    send(ex, n);
  }

  private void attestation(HttpExchange ex) throws IOException {
    received.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String payload = "{\"exp\":" + Instant.now().plusSeconds(600).getEpochSecond() + "}";
    ObjectNode n = JSON.createObjectNode();
    n.put(
        "token",
        b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + ".");
    n.put("status", "warning");
    n.putArray("grants");
    n.putArray("denials");
    send(ex, n);
  }

  private static void send(HttpExchange ex, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
