// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.adminapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The attestation service's admin API (docs/api.md) for people: policies, models, devices and the
 * audit log, each call authorised by an OpenID bearer token with the matching role. Every failure
 * is a {@link ServiceProblem} carrying the service's problem id and a line saying what to do next.
 * Thread safe; the token is never logged or put in a message.
 */
public final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBLEM_PREFIX = "urn:arca:problem:";

  private final URI base;
  private final String bearer;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param service the service's base URL, e.g. {@code http://127.0.0.1:8080}
   * @param bearer the access token (null: anonymous, which the admin API answers with 401)
   */
  public AdminClient(URI service, String bearer) {
    String s = Objects.requireNonNull(service, "service").toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.bearer = bearer;
  }

  /** The service's base URL. */
  public URI service() {
    return base;
  }

  // --- policies (policy-admin; reads also auditor) ---

  /** Uploads a policy document (YAML); answers the stored version. 422 lists the problems. */
  public JsonNode uploadPolicy(String yaml) throws ServiceProblem {
    return send(
        request("v1/policies")
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)));
  }

  /** Makes one stored version the active policy. */
  public JsonNode activatePolicy(String name, long version) throws ServiceProblem {
    return send(
        request("v1/policies/" + seg(name) + "/versions/" + version + "/activate")
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Every policy's versions, as the service lists them. */
  public JsonNode policies() throws ServiceProblem {
    return send(request("v1/policies").GET());
  }

  /** The versions of one policy. */
  public JsonNode policyVersions(String name) throws ServiceProblem {
    return send(request("v1/policies/" + seg(name) + "/versions").GET());
  }

  /** The YAML document of one stored policy version. */
  public String policyDocument(String name, long version) throws ServiceProblem {
    return new String(
        sendRaw(request("v1/policies/" + seg(name) + "/versions/" + version).GET()),
        StandardCharsets.UTF_8);
  }

  // --- models (model-publisher; reads also auditor) ---

  /**
   * Publishes a sealed package, streamed from disk with progress. The service reads the signed
   * manifest from the package (its publisher key must be trusted: {@link #trustPublisherKey}),
   * checks the data key against the package and wraps it under its KEK on arrival. The key travels
   * in a header over this connection: use TLS beyond loopback.
   */
  public JsonNode publishModel(
      String modelId, Path sealedPackage, byte[] dataKey, UploadProgress progress)
      throws ServiceProblem, IOException {
    long size = Files.size(sealedPackage);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> counting(sealedPackage, size, progress)),
            size);
    return send(
        request("v1/models/" + seg(modelId) + "/versions")
            .timeout(Duration.ofHours(1))
            .header("Content-Type", "application/octet-stream")
            .header("Arca-Data-Key", Base64.getEncoder().encodeToString(dataKey))
            .POST(body));
  }

  /**
   * Trusts a publisher's manifest-signing key (role policy-admin).
   *
   * @param publicKey base64url of the encoded public key, as in a publisher key ring
   */
  public JsonNode trustPublisherKey(String keyId, String algorithm, String publicKey)
      throws ServiceProblem {
    ObjectNode body = JSON.createObjectNode();
    body.put("keyId", keyId);
    body.put("algorithm", algorithm);
    body.put("publicKey", publicKey);
    return postJson("v1/publisher-keys", body);
  }

  /** Trusts every key of a publisher key ring (role policy-admin); answers the stored keys. */
  public List<JsonNode> trustPublisherKeys(dev.arca.crypto.sign.PublisherKeyRing ring)
      throws ServiceProblem {
    List<JsonNode> out = new ArrayList<>();
    for (dev.arca.crypto.sign.PublisherPublicKey k : ring.keys()) {
      out.add(
          trustPublisherKey(
              k.keyId(),
              k.algorithm().label(),
              Base64.getUrlEncoder().withoutPadding().encodeToString(k.encoded())));
    }
    return out;
  }

  /** Trusted publisher keys. */
  public JsonNode publisherKeys() throws ServiceProblem {
    return send(request("v1/publisher-keys").GET());
  }

  /** Stops trusting a publisher key: packages it signs are refused. */
  public JsonNode revokePublisherKey(String keyId) throws ServiceProblem {
    return send(
        request("v1/publisher-keys/" + seg(keyId) + "/revoke")
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** The newest version of every model. */
  public JsonNode models() throws ServiceProblem {
    return send(request("v1/models").GET());
  }

  /** Every version of one model. */
  public JsonNode modelVersions(String modelId) throws ServiceProblem {
    return send(request("v1/models/" + seg(modelId) + "/versions").GET());
  }

  /** Revokes one model version: no further grants, no downloads. */
  public JsonNode revokeModel(String modelId, long version) throws ServiceProblem {
    return send(
        request("v1/models/" + seg(modelId) + "/versions/" + version + "/revoke")
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  // --- reference values (policy-admin; reads also auditor) ---

  /**
   * Adds a version of the reference-value set {@code name}: the accepted values (lower-case hex) of
   * each measured register (e.g. {@code pcr.sha256.7}) for devices of {@code format} whose {@code
   * subject} is {@code class:<class>}, {@code device:<id>} or {@code model:<id>}. Answers the
   * stored version.
   */
  public JsonNode putReferenceValues(
      String name, String format, String subject, Map<String, List<String>> measurements)
      throws ServiceProblem {
    ObjectNode body = JSON.createObjectNode();
    body.put("format", format);
    body.put("subject", subject);
    body.set("measurements", JSON.valueToTree(measurements));
    return postJson("v1/reference-values/" + seg(name), body);
  }

  /** The newest version of every reference-value set. */
  public JsonNode referenceValues() throws ServiceProblem {
    return send(request("v1/reference-values").GET());
  }

  /** Every version of one reference-value set, newest first; 404 when there is none. */
  public JsonNode referenceValueVersions(String name) throws ServiceProblem {
    return send(request("v1/reference-values/" + seg(name) + "/versions").GET());
  }

  // --- collateral (device-admin; reads also auditor) ---

  /**
   * Uploads one vendor collateral file (an AMD VCEK, an Intel TCB info, ...) for evidence of {@code
   * format} ({@code sev-snp} or {@code tdx}); its {@code name} tells the service what it is.
   * Answers the stored item, with {@code alreadyPresent} true when the same content was stored
   * before.
   */
  public JsonNode importCollateral(String format, String name, byte[] content)
      throws ServiceProblem {
    ObjectNode body = JSON.createObjectNode();
    body.put("format", format);
    body.put("name", name);
    body.put("content", Base64.getEncoder().encodeToString(content));
    return postJson("v1/collateral", body);
  }

  /** Every stored collateral item, current and superseded. */
  public JsonNode collateral() throws ServiceProblem {
    return send(request("v1/collateral").GET());
  }

  // --- devices (device-admin; reads also auditor) ---

  /** Enrols a device; {@code enrolment} is format-specific (dev: {@code {"publicKey": b64}}). */
  public JsonNode enrolDevice(
      String id, String format, JsonNode enrolment, Map<String, String> attributes)
      throws ServiceProblem {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", id);
    body.put("format", format);
    body.set("enrolment", enrolment);
    body.set("attributes", JSON.valueToTree(attributes));
    return postJson("v1/devices", body);
  }

  /**
   * Completes a pending TPM enrolment with the secret the device's TPM recovered from the
   * enrolment's credential ({@code POST /v1/devices/{id}/activation}; the secret is the proof, no
   * role needed). The caller wipes {@code secret}.
   */
  public JsonNode activateDevice(String id, byte[] secret) throws ServiceProblem {
    ObjectNode body = JSON.createObjectNode();
    body.put("secret", java.util.Base64.getEncoder().encodeToString(secret));
    return postJson("v1/devices/" + seg(id) + "/activation", body);
  }

  /** Enrolled devices (first {@code limit}). */
  public JsonNode devices(int limit) throws ServiceProblem {
    return send(request("v1/devices?limit=" + limit).GET());
  }

  /** Revokes a device: its next attestation is refused. */
  public JsonNode revokeDevice(String id) throws ServiceProblem {
    return send(
        request("v1/devices/" + seg(id) + "/revoke").POST(HttpRequest.BodyPublishers.noBody()));
  }

  // --- audit (auditor) ---

  /**
   * Searches the transparency log ({@code /v1/audit/search}); answers {@code {index, entry}}
   * objects in log order.
   *
   * @param filters any of {@code device, model, version, verdict, from, to, actor, after, limit}
   */
  public List<JsonNode> auditSearch(Map<String, String> filters) throws ServiceProblem {
    String query =
        filters.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    byte[] lines = sendRaw(request("v1/audit/search" + (query.isEmpty() ? "" : "?" + query)).GET());
    List<JsonNode> out = new ArrayList<>();
    for (String line : new String(lines, StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isBlank()) {
        try {
          out.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new ServiceProblem(
              200, "unexpected-answer", "the audit search answered a line that is not JSON");
        }
      }
    }
    return out;
  }

  /**
   * A blob the log keeps by content (evidence, enrolment, policy document), by its SHA-256 in hex
   * (role auditor). The caller checks the digest.
   */
  public byte[] auditBlob(String sha256Hex) throws ServiceProblem {
    if (!sha256Hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256Hex);
    }
    return sendRaw(request("v1/audit/evidence/" + sha256Hex).GET());
  }

  // --- plumbing ---

  private JsonNode postJson(String path, JsonNode body) throws ServiceProblem {
    try {
      return send(
          request(path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a request body", e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b;
  }

  private JsonNode send(HttpRequest.Builder b) throws ServiceProblem {
    byte[] body = sendRaw(b);
    try {
      return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new ServiceProblem(
          200, "unexpected-answer", "the service at " + base + " answered something not JSON");
    }
  }

  private byte[] sendRaw(HttpRequest.Builder b) throws ServiceProblem {
    HttpRequest req = b.build();
    HttpResponse<byte[]> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new ServiceProblem(
          0,
          "unreachable",
          "no service answers at " + base + "; start one (./arca service) or check --service");
    } catch (IOException e) {
      throw new ServiceProblem(
          0, "unreachable", "the service at " + base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceProblem(0, "interrupted", "interrupted while waiting for " + base);
    }
    if (r.statusCode() / 100 == 2) {
      return r.body();
    }
    throw problem(req, r);
  }

  private static ServiceProblem problem(HttpRequest req, HttpResponse<byte[]> r) {
    String type = "http-" + r.statusCode();
    String detail = "";
    JsonNode problems = null;
    try {
      JsonNode p = JSON.readTree(r.body());
      if (p != null && p.isObject()) {
        String t = p.path("type").asText("");
        type = t.startsWith(PROBLEM_PREFIX) ? t.substring(PROBLEM_PREFIX.length()) : type;
        detail = p.path("detail").asText(p.path("title").asText(""));
        problems = p.get("problems");
      }
    } catch (IOException e) {
      // not problem+json: keep the HTTP status
    }
    StringBuilder m = new StringBuilder();
    m.append(req.method()).append(' ').append(req.uri().getPath()).append(": HTTP ");
    m.append(r.statusCode()).append(' ').append(type);
    if (!detail.isBlank()) {
      m.append(": ").append(detail);
    }
    if (problems != null && problems.isArray()) {
      for (JsonNode p : problems) {
        m.append("; line ")
            .append(p.path("line").asText("?"))
            .append(':')
            .append(p.path("column").asText("?"))
            .append(' ')
            .append(p.path("message").asText(""));
      }
    }
    String next = nextStep(r.statusCode(), type);
    if (!next.isEmpty()) {
      m.append(" (").append(next).append(')');
    }
    return new ServiceProblem(r.statusCode(), type, m.toString().replaceAll("\\s+", " "));
  }

  private static String nextStep(int status, String type) {
    if (status == 401) {
      return "log in first: arca login, or the token expired: log in again";
    }
    if (status == 403 && type.equals("forbidden")) {
      return "your account lacks the role this needs; log in as a user who has it";
    }
    if (status == 409) {
      return "it exists already; use a new id or version";
    }
    if (status == 404) {
      return "check the id and version: list them first";
    }
    return "";
  }

  private static InputStream counting(Path file, long total, UploadProgress progress) {
    try {
      return progress.counting(Files.newInputStream(file), total);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String seg(String s) {
    return enc(s).replace("+", "%20");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Query filters in insertion order, skipping nulls: {@code filters("model", m, "limit", "5")}.
   */
  public static Map<String, String> filters(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        m.put(keyValues[i], keyValues[i + 1]);
      }
    }
    return m;
  }
}
