// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.crypto.Secrets;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpException;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.ohttp.ProblemTypes;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.model.ModelHost;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The runtime's HTTP endpoint, on the JDK's built-in server (no framework: the runtime runs on
 * small devices).
 *
 * <ul>
 *   <li>{@code GET /v1/attestation}: the runtime's current EAR token (verify it against the
 *       service's JWKS) and its OHTTP key configuration.
 *   <li>{@code GET /v1/ohttp-keys}: {@code application/ohttp-keys} (RFC 9458 section 3).
 *   <li>{@code POST /v1/infer}: the Oblivious HTTP gateway (RFC 9458): {@code message/ohttp-req}
 *       in, {@code message/ohttp-res} out; the encapsulated messages are Binary HTTP (RFC 9292),
 *       served by {@link InferenceTarget}.
 *   <li>{@code GET /healthz} (liveness, always 200) and {@code GET /readyz} (readiness: 503 before
 *       the first successful attestation and while refused): whether ready, the service standing
 *       ({@code online}, {@code offline} with {@code offlineSince}, {@code offlineReason} and the
 *       {@code offlineUntil} of the leases served, or {@code refused} with the {@code refusal}'s
 *       status and problem type) and the model versions served.
 *   <li>{@code GET /metrics}: {@link RuntimeMetrics} in the Prometheus text format.
 * </ul>
 *
 * Errors outside the encryption (bad media type, undecryptable request, oversize body) are {@code
 * application/problem+json} and say nothing about the request's content; a key id the gateway does
 * not hold, or an algorithm its key configuration does not offer, is answered with RFC 9458 section
 * 5.3's problem type {@value ProblemTypes#KEY_CONFIG} (status 400) so the client fetches the key
 * configuration again. Everything about the request itself, refusals included, is answered inside
 * the encrypted response with the inner status.
 */
public final class RuntimeHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024 + 1024;

  static {
    // The JDK's server otherwise leaves Nagle's algorithm on, and a small answer waits for the
    // client's delayed ACK (about 40 ms on Linux). Read once per JVM when the first HttpServer
    // starts (the runtime's own process); an explicit -D setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final OhttpGateway gateway;
  private final InferenceTarget target;
  private final Supplier<String> token;
  private final ModelHost host;
  private final Supplier<Standing> standing;
  private final Supplier<String> metrics;
  private final SecureRandom random = new SecureRandom();

  /**
   * Starts serving.
   *
   * @param address where to listen (loopback by default)
   * @param token the current EAR token, or null before the first attestation
   * @param host the models being served (versions and leases, for {@code /healthz})
   * @param standing what the runtime last heard from the service, reported by {@code /healthz}
   * @param metrics the text of {@code /metrics}, rendered at each scrape
   */
  public RuntimeHttpServer(
      InetSocketAddress address,
      OhttpGateway gateway,
      InferenceHandler handler,
      Supplier<String> token,
      ModelHost host,
      Supplier<Standing> standing,
      Supplier<String> metrics)
      throws IOException {
    this.gateway = gateway;
    this.target = new InferenceTarget(handler);
    this.token = token;
    this.host = host;
    this.standing = standing;
    this.metrics = metrics;
    this.server = HttpServer.create(address, 64);
    this.workers =
        Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    server.setExecutor(workers);
    server.createContext("/v1/infer", this::infer);
    server.createContext("/v1/ohttp-keys", this::keys);
    server.createContext("/v1/attestation", this::attestation);
    server.createContext("/healthz", ex -> health(ex, false));
    server.createContext("/readyz", ex -> health(ex, true));
    server.createContext("/metrics", this::metrics);
    server.start();
  }

  private void metrics(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", RuntimeMetrics.CONTENT_TYPE);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void infer(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        problem(ex, 405, "method-not-allowed", "use POST with " + MediaTypes.REQUEST);
        return;
      }
      byte[] body = readBody(ex);
      if (body == null) {
        problem(ex, 413, "too-large", "the request is larger than " + MAX_REQUEST_BYTES + " bytes");
        return;
      }
      OhttpGateway.Request request;
      try {
        request = gateway.decapsulateRequest(ex.getRequestHeaders().getFirst("Content-Type"), body);
      } catch (OhttpException e) {
        if (e.id().equals(OhttpException.UNKNOWN_KEY_ID)
            || e.id().equals(OhttpException.UNSUPPORTED_ALGORITHM)) {
          problem(ex, 400, ProblemTypes.KEY_CONFIG, "key configuration unknown", e.getMessage());
          return;
        }
        int status = e.id().equals(OhttpException.BAD_MEDIA_TYPE) ? 415 : 400;
        problem(ex, status, e.id(), e.getMessage());
        return;
      }
      byte[] answer;
      byte[] message = request.message();
      byte[] response = null;
      try {
        response = target.serve(message);
        answer = request.encapsulateResponse(response, random);
      } finally {
        request.wipe();
        Secrets.wipe(message);
        Secrets.wipe(response);
      }
      ex.getResponseHeaders().set("Content-Type", MediaTypes.RESPONSE);
      ex.sendResponseHeaders(200, answer.length);
      ex.getResponseBody().write(answer);
    }
  }

  private void keys(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] configs = gateway.keyConfigs();
      ex.getResponseHeaders().set("Content-Type", MediaTypes.KEYS);
      ex.sendResponseHeaders(200, configs.length);
      ex.getResponseBody().write(configs);
    }
  }

  private void attestation(HttpExchange ex) throws IOException {
    try (ex) {
      String t = token.get();
      if (t == null) {
        problem(ex, 503, "not-attested", "the runtime has not completed attestation yet");
        return;
      }
      json(
          ex,
          200,
          Map.of(
              "token",
              t,
              "ohttpKeys",
              java.util.Base64.getEncoder().encodeToString(gateway.keyConfigs())));
    }
  }

  /**
   * {@code /healthz} (liveness: 200 while the process serves HTTP) and {@code /readyz} (readiness:
   * 200 only when a token is held and the service has not refused, else 503) answer the same body:
   * whether ready, the service standing ({@code online}; {@code offline} since when and, while
   * models are served, until when; {@code refused} with the refusal) and the models served.
   */
  private void health(HttpExchange ex, boolean readiness) throws IOException {
    try (ex) {
      Standing s = standing.get();
      boolean ready = token.get() != null && !(s instanceof Standing.Refused);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ready", ready);
      body.put("service", s.name());
      if (s instanceof Standing.Offline o) {
        body.put("offlineSince", o.since().toString());
        body.put("offlineReason", o.reason());
        host.offlineUntil().ifPresent(t -> body.put("offlineUntil", t.toString()));
      }
      if (s instanceof Standing.Refused r) {
        body.put(
            "refusal", Map.of("status", r.status(), "type", r.type(), "at", r.at().toString()));
      }
      body.put("models", host.served());
      json(ex, ready || !readiness ? 200 : 503, body);
    }
  }

  /** Reads the body, or returns null when it is larger than the limit. */
  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
      return body.length > MAX_REQUEST_BYTES ? null : body;
    }
  }

  /** A problem of type {@code https://arca.dev/problems/runtime/<id>}, titled by its id. */
  private static void problem(HttpExchange ex, int status, String id, String detail)
      throws IOException {
    problem(ex, status, InferenceMessages.PROBLEM_TYPE_BASE + id, id, detail);
  }

  private static void problem(HttpExchange ex, int status, String type, String title, String detail)
      throws IOException {
    byte[] body =
        JSON.writeValueAsBytes(
            Map.of("type", type, "title", title, "status", status, "detail", detail));
    ex.getResponseHeaders().set("Content-Type", "application/problem+json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static void json(HttpExchange ex, int status, Object value) throws IOException {
    byte[] body = JSON.writeValueAsBytes(value);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
  }
}
