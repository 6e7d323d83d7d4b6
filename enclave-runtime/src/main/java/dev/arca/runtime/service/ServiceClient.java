// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.runtime.lease.Obligations;
import dev.arca.runtime.usage.UsageReporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime's side of the attestation service's device API: challenges, attestations and package
 * downloads. Devices authenticate by attestation only; a download is authorised by the grant id the
 * attestation returned. Problems from the service become {@link ServiceException} with the RFC 9457
 * type and detail. Thread-safe.
 */
public final class ServiceClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http;

  public ServiceClient(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * A nonce from {@code POST /v1/challenges}, and the trace the attestation that redeems it
   * continues.
   */
  public record Challenge(byte[] nonce, String encoded, Instant expiresAt, TraceContext trace) {}

  /** What {@code POST /v1/attestations} answered. */
  public record Attestation(
      String token, String status, List<Grant> grants, List<String> denials, JsonNode raw) {}

  /**
   * What {@code GET /v1/devices/{id}/events} answered: events as {@code type subject}, and next.
   */
  public record Events(List<String> events, long next) {}

  /**
   * {@code GET /v1/devices/{id}/events}: without {@code after}, where to listen from; with it, a
   * long poll of up to {@code waitSeconds} for events past it.
   *
   * @param token the device's current EAR token
   * @param models model ids to hear of besides those the token grants
   */
  public Events events(
      String deviceId, String token, Optional<Long> after, int waitSeconds, List<String> models)
      throws IOException {
    StringBuilder q = new StringBuilder("?wait=").append(waitSeconds);
    after.ifPresent(a -> q.append("&after=").append(a));
    models.forEach(m -> q.append("&model=").append(URLEncoder.encode(m, StandardCharsets.UTF_8)));
    JsonNode n = send(deviceRequest(deviceId, "/events" + q, token).GET());
    List<String> events = new ArrayList<>();
    n.path("events")
        .forEach(e -> events.add(e.path("type").asText() + " " + e.path("subject").asText()));
    return new Events(events, n.path("next").asLong());
  }

  /** {@code POST /v1/challenges}. */
  public Challenge challenge() throws IOException {
    TraceContext trace = TraceContext.start();
    JsonNode n =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/challenges"))
                .header("traceparent", trace.traceparent())
                .POST(HttpRequest.BodyPublishers.noBody()));
    String encoded = n.path("nonce").asText();
    return new Challenge(
        Base64.getUrlDecoder().decode(encoded),
        encoded,
        Instant.parse(n.path("expiresAt").asText()),
        trace);
  }

  /**
   * {@code POST /v1/attestations}.
   *
   * @param usageKey the usage-report key the evidence's report data binds, or {@code null} for none
   * @param models requested model ids with the data class each will process
   */
  public Attestation attest(
      String deviceId,
      String format,
      byte[] evidence,
      Challenge challenge,
      byte[] runtimePublicKey,
      byte[] usageKey,
      byte[] measurementLog,
      List<ModelRequest> models)
      throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode body = JSON.createObjectNode();
    body.put("deviceId", deviceId);
    body.put("format", format);
    body.put("evidence", b64.encodeToString(evidence));
    body.put("nonce", challenge.encoded());
    body.put("runtimePublicKey", b64.encodeToString(runtimePublicKey));
    if (usageKey != null) {
      body.put("usageKey", b64.encodeToString(usageKey));
    }
    body.put("measurementLog", b64.encodeToString(measurementLog));
    var list = body.putArray("models");
    for (ModelRequest m : models) {
      ObjectNode o = list.addObject();
      o.put("modelId", m.modelId());
      o.put("dataClass", m.dataClass());
    }
    JsonNode n =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/attestations"))
                .header("Content-Type", "application/json")
                .header("traceparent", challenge.trace().traceparent())
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    return attestation(n);
  }

  /**
   * Reads an answer of {@code POST /v1/attestations}: as received, or as kept for a reboot ({@code
   * dev.arca.runtime.lease.SealedLease}).
   *
   * @throws ServiceException {@code malformed-grant} when a grant cannot be read
   */
  public static Attestation attestation(JsonNode n) throws ServiceException {
    List<Grant> grants = new ArrayList<>();
    for (JsonNode g : n.path("grants")) {
      grants.add(grant(g));
    }
    List<String> denials = new ArrayList<>();
    for (JsonNode d : n.path("denials")) {
      denials.add(d.path("modelId").asText() + ": " + d.path("reason").asText());
    }
    return new Attestation(n.path("token").asText(), n.path("status").asText(), grants, denials, n);
  }

  /**
   * {@code POST /v1/devices/{id}/usage}: uploads signed usage reports with the device's current EAR
   * token; answers one outcome per report, in order.
   */
  public List<UsageReporter.Outcome> uploadUsage(
      String deviceId, String token, List<SignedUsageReport> reports) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode body = JSON.createObjectNode();
    var list = body.putArray("reports");
    for (SignedUsageReport r : reports) {
      list.addObject()
          .put("report", b64.encodeToString(r.report()))
          .put("signature", b64.encodeToString(r.signature()));
    }
    JsonNode n =
        send(
            deviceRequest(deviceId, "/usage", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    List<UsageReporter.Outcome> out = new ArrayList<>();
    n.path("results")
        .forEach(
            r ->
                out.add(
                    new UsageReporter.Outcome(
                        r.path("outcome").asText(), r.path("reason").asText())));
    return out;
  }

  /** A request to {@code /v1/devices/<id><path>}, sent with the device's EAR token. */
  private HttpRequest.Builder deviceRequest(String deviceId, String path, String token) {
    return HttpRequest.newBuilder(
            base.resolve(
                "/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8) + path))
        .header("Authorization", "Bearer " + token);
  }

  /** A requested model. */
  public record ModelRequest(String modelId, String dataClass) {}

  /**
   * Downloads a grant's sealed package to {@code target}, resuming a partial download left in
   * {@code target + ".part"} with an HTTP Range request. The package is encrypted; only ciphertext
   * is written.
   */
  public Path download(Grant grant, Path target) throws IOException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long have = Files.exists(part) ? Files.size(part) : 0;
    HttpRequest.Builder req =
        HttpRequest.newBuilder(base.resolve(grant.packageUrl()))
            .header("Arca-Grant", grant.grantId());
    if (have > 0) {
      req.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> res;
    try {
      res = http.send(req.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + grant.modelId(), e);
    }
    boolean append = res.statusCode() == 206;
    if (res.statusCode() != 200 && !append) {
      try (InputStream in = res.body()) {
        throw problem(res.statusCode(), in.readAllBytes());
      }
    }
    try (InputStream in = res.body();
        OutputStream out =
            Files.newOutputStream(
                part,
                StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      in.transferTo(out);
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  private static Grant grant(JsonNode g) throws ServiceException {
    try {
      List<String> classes = new ArrayList<>();
      g.path("dataClasses").forEach(c -> classes.add(c.asText()));
      Map<String, Long> obligations = new LinkedHashMap<>();
      JsonNode o = g.path("obligations");
      if (!o.isMissingNode() && !o.isNull() && !o.isObject()) {
        throw new IllegalArgumentException("obligations is not an object");
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
          throw new IllegalArgumentException("obligation " + e.getKey() + " is not a number");
        }
        obligations.put(e.getKey(), e.getValue().longValue());
      }
      return new Grant(
          g.path("grantId").asText(),
          g.path("modelId").asText(),
          g.path("version").asLong(),
          HexFormat.of().parseHex(g.path("manifestDigest").asText()),
          classes,
          Base64.getDecoder().decode(g.path("wrappedKey").asText()),
          Instant.parse(g.path("leaseExpiresAt").asText()),
          Instant.parse(g.path("offlineUntil").asText()),
          Obligations.of(obligations),
          g.path("packageUrl").asText());
    } catch (RuntimeException e) {
      throw new ServiceException(
          200, "malformed-grant", "the service sent a grant this runtime cannot read: " + e);
    }
  }

  private JsonNode send(HttpRequest.Builder req) throws IOException {
    HttpResponse<byte[]> res;
    try {
      res =
          http.send(
              req.header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ServiceException(
          0, "unreachable", "cannot reach the service at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (res.statusCode() / 100 != 2) {
      throw problem(res.statusCode(), res.body());
    }
    return JSON.readTree(res.body());
  }

  private static ServiceException problem(int status, byte[] body) {
    String type = "about:blank";
    String detail = "HTTP " + status;
    try {
      JsonNode p = JSON.readTree(body);
      type = p.path("type").asText(type);
      detail = p.path("detail").asText(p.path("title").asText(detail));
    } catch (IOException | RuntimeException e) {
      // not a problem document; keep the status line
    }
    return new ServiceException(status, type, detail);
  }
}
