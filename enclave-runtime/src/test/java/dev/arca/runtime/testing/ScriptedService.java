// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePublicKey;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The attestation service's device API ({@code /v1/challenges}, {@code /v1/attestations}, package
 * download) played by a script on loopback, for runtime tests that are about the runtime: its
 * process, its memory, its swaps. It does the security-relevant steps with the real parts — dev
 * evidence is verified with {@link DevVerifier} against the report data the runtime must bind,
 * packages are really sealed, data keys are really wrapped to the runtime's key with {@link
 * KeyRelease} — but it has no policy, database or EAR signing: it grants every requested model at
 * its newest version, for the data classes its manifest names. The runtime against the real service
 * is tested in the attestation-service module.
 */
public final class ScriptedService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One published model version. */
  private record Published(Manifest manifest, byte[] sealed, byte[] manifestDigest, DataKey key) {}

  /** An attestation the runtime sent, as received. */
  public record Received(Instant at, JsonNode request, byte[] measurementLog) {}

  private final PublisherSigningKey publisher;
  private final Duration tokenLife;
  private final HttpServer server;
  private final Map<String, List<Published>> models = new ConcurrentHashMap<>();
  private final Set<String> nonces = ConcurrentHashMap.newKeySet();
  private final Map<String, Published> grants = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger downloads =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean unreachable;
  private volatile Map<String, Long> obligations = Map.of();
  private volatile int refusalStatus;
  private volatile String refusalType;

  /**
   * Starts on a free loopback port.
   *
   * @param tokenLife how long each token (and lease) lasts; the runtime re-attests before then
   */
  public ScriptedService(Duration tokenLife) throws Exception {
    this.publisher = PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "publisher-1");
    this.tokenLife = tokenLife;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/challenges", this::challenge);
    server.createContext("/v1/attestations", this::attestation);
    server.createContext("/v1/packages/", this::download);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    server.start();
  }

  /** The base URI the runtime is configured with. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The key ring that trusts this service's publisher. */
  public PublisherKeyRing publishers() throws Exception {
    return PublisherKeyRing.of(publisher.publicKey());
  }

  /**
   * Seals and publishes a model version, granted from the next attestation on.
   *
   * @return the sealed package bytes
   */
  public byte[] publish(
      String modelId,
      long version,
      byte[] onnx,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      String dataClass)
      throws Exception {
    PlaintextDigest digest = PlaintextDigest.of(new ByteArrayInputStream(onnx));
    Manifest.Builder b =
        Manifest.builder()
            .modelId(modelId)
            .version(version)
            .plaintextSha256(digest.sha256())
            .plaintextSize(digest.size())
            .dataClass(dataClass)
            .minRuntimeVersion("0.1.0")
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .publisherKeyId("publisher-1");
    inputs.forEach(b::input);
    outputs.forEach(b::output);
    Manifest manifest = b.build();
    DataKey key = DataKey.generate();
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    SealedModel.SealResult r =
        SealedModel.seal(manifest, publisher, key, new ByteArrayInputStream(onnx), sealed);
    models
        .computeIfAbsent(modelId, k -> new CopyOnWriteArrayList<>())
        .add(new Published(manifest, sealed.toByteArray(), r.manifestDigest(), key));
    return sealed.toByteArray();
  }

  /**
   * Revokes the newest published version of {@code modelId}: from the next attestation on, the
   * version before it is granted (none if it was the only one), as the real service does.
   */
  public void revokeLatest(String modelId) {
    List<Published> versions = models.get(modelId);
    versions.remove(versions.size() - 1);
  }

  /** How many package downloads were served. */
  public int downloads() {
    return downloads.get();
  }

  /**
   * While on, every device API call is dropped without an answer (the connection is closed before
   * any response byte), which the runtime sees as an I/O error: the service is unreachable.
   */
  public void unreachable(boolean on) {
    unreachable = on;
  }

  /**
   * From now on answers every attestation with HTTP {@code status} and an RFC 9457 problem of
   * {@code type} (e.g. 403 {@code device-revoked}); {@code status} 0 stops refusing.
   */
  public void refuseAttestations(int status, String type) {
    refusalType = type;
    refusalStatus = status;
  }

  /** The {@code obligations} every grant carries from the next attestation on. */
  public void obligations(Map<String, Long> obligations) {
    this.obligations = Map.copyOf(obligations);
  }

  /** The attestations received so far, oldest first. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  private void challenge(HttpExchange ex) throws IOException {
    if (drop(ex)) {
      return;
    }
    byte[] nonce = new byte[32];
    RANDOM.nextBytes(nonce);
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    nonces.add(encoded);
    ObjectNode n = JSON.createObjectNode();
    n.put("nonce", encoded);
    n.put("expiresAt", Instant.now().plusSeconds(60).toString());
    send(ex, 201, n);
  }

  private void attestation(HttpExchange ex) throws IOException {
    if (drop(ex)) {
      return;
    }
    int refuse = refusalStatus;
    if (refuse != 0) {
      send(ex, refuse, problem(refusalType, "this device may not attest"));
      return;
    }
    try {
      JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
      Base64.Decoder b64 = Base64.getDecoder();
      String nonce = req.path("nonce").asText();
      if (!nonces.remove(nonce)) {
        send(ex, 400, problem("challenge-unknown", "nonce was not issued or is used"));
        return;
      }
      byte[] runtimeKey = b64.decode(req.path("runtimePublicKey").asText());
      byte[] log = b64.decode(req.path("measurementLog").asText());
      byte[] usageKey =
          req.hasNonNull("usageKey") ? b64.decode(req.path("usageKey").asText()) : null;
      byte[] reportData =
          ReportData.ofLog(Base64.getUrlDecoder().decode(nonce), runtimeKey, log, usageKey);
      new DevVerifier()
          .verify(
              b64.decode(req.path("evidence").asText()),
              VerificationContext.expectingReportData(Instant.now(), reportData).build());
      Instant now = Instant.now();
      received.add(new Received(now, req, log));
      Instant expires = now.plus(tokenLife);
      ObjectNode res = JSON.createObjectNode();
      res.put("token", token(expires, received.size()));
      res.put("status", "affirming");
      var grantList = res.putArray("grants");
      res.putArray("denials");
      HpkePublicKey key = HpkePublicKey.of(HpkeKem.DHKEM_X25519_HKDF_SHA256, runtimeKey);
      for (JsonNode m : req.path("models")) {
        List<Published> versions = models.get(m.path("modelId").asText());
        if (versions == null || versions.isEmpty()) {
          continue;
        }
        Published p = versions.get(versions.size() - 1);
        String grantId = UUID.randomUUID().toString();
        grants.put(grantId, p);
        Manifest mf = p.manifest();
        ObjectNode g = grantList.addObject();
        g.put("grantId", grantId);
        g.put("modelId", mf.modelId());
        g.put("version", mf.version());
        g.put("manifestDigest", HexFormat.of().formatHex(p.manifestDigest()));
        var classes = g.putArray("dataClasses");
        mf.dataClasses().forEach(classes::add);
        g.put(
            "wrappedKey",
            Base64.getEncoder()
                .encodeToString(
                    KeyRelease.wrap(
                            p.key(),
                            key,
                            KeyReleaseInfo.of(
                                grantId, mf.modelId(), mf.version(), p.manifestDigest()),
                            RANDOM)
                        .encode()));
        g.put("leaseExpiresAt", expires.toString());
        g.put("offlineUntil", expires.plus(tokenLife).toString());
        ObjectNode o = g.putObject("obligations");
        obligations.forEach(o::put);
        g.put("packageUrl", "/v1/packages/" + mf.modelId() + "/" + mf.version());
      }
      send(ex, 201, res);
    } catch (Exception e) {
      send(ex, 403, problem("evidence-invalid", String.valueOf(e.getMessage())));
    }
  }

  private void download(HttpExchange ex) throws IOException {
    Published p = grants.get(String.valueOf(ex.getRequestHeaders().getFirst("Arca-Grant")));
    if (p == null
        || !ex.getRequestURI()
            .getPath()
            .equals("/v1/packages/" + p.manifest().modelId() + "/" + p.manifest().version())) {
      send(ex, 403, problem("grant-unknown", "no such grant for this package"));
      return;
    }
    downloads.incrementAndGet();
    ex.getResponseHeaders().set("Content-Type", "application/vnd.arca.sealed-model");
    ex.sendResponseHeaders(200, p.sealed().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(p.sealed());
    }
  }

  /** Closes the exchange without an answer when unreachable; true if it did. */
  private boolean drop(HttpExchange ex) {
    if (!unreachable) {
      return false;
    }
    ex.close();
    return true;
  }

  /** An unsigned token; {@code jti} tells apart two tokens issued within the same second. */
  private static String token(Instant expires, int serial) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String payload = "{\"exp\":" + expires.getEpochSecond() + ",\"jti\":\"" + serial + "\"}";
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  private static ObjectNode problem(String type, String detail) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", type);
    p.put("detail", detail);
    return p;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
