// SPDX-License-Identifier: Apache-2.0
package dev.arca.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.TestTokens;
import dev.arca.client.infer.InferenceHttp;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.tensor.Tensor;
import dev.arca.crypto.bhttp.BhttpRequest;
import dev.arca.crypto.bhttp.BinaryHttp;
import dev.arca.crypto.bhttp.Field;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpException;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.ohttp.ProblemTypes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application SDK against a stand-in runtime: the documents the SDK reads (tokens made as the
 * service makes them) and a real OHTTP gateway ({@link OhttpGateway}) in front of a Binary HTTP
 * echo. It can do what a real runtime cannot be made to: offer an encryption key its EAR token does
 * not bind (a substituted or stolen token), where the SDK must refuse before any data leaves the
 * application; and swap its key at a chosen moment, where the SDK must attest the runtime again on
 * RFC 9458's key configuration problem and retry once. The real runtime's answers are tested in
 * enclave-runtime's {@code ObliviousGatewayTest}.
 */
class RuntimeClientTest {
  static final Clock CLOCK = Clock.fixed(TestTokens.NOW, ZoneOffset.UTC);
  final KeyPair service = TestTokens.ecKey();
  final AtomicInteger inferCalls = new AtomicInteger();
  HttpServer server;

  /** What the stand-in runtime offers: a token binding {@code tokenKey}, and its gateway key. */
  private volatile byte[] attestation;

  private volatile OhttpGateway gateway;

  /** When set, the stand-in answers every encapsulated request with this inner answer. */
  private volatile InferenceMessages.Answer answer;

  final AtomicInteger attestationCalls = new AtomicInteger();
  final List<BhttpRequest> received = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * The runtime (re)boots: a new gateway key with {@code keyId}, a token binding {@code tokenKey}.
   */
  void boot(byte[] tokenKey, HpkePrivateKey offeredKey, int keyId) throws Exception {
    JwtClaims claims =
        TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "affirming");
    TestTokens.bindRuntimeKey(claims, tokenKey);
    String token = TestTokens.es256(service, "k1", claims);
    KeyConfig config =
        KeyConfig.of(
            keyId,
            offeredKey.publicKey(),
            List.of(KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM)));
    attestation =
        new ObjectMapper()
            .writeValueAsBytes(
                Map.of(
                    "token",
                    token,
                    "ohttpKeys",
                    Base64.getEncoder().encodeToString(KeyConfig.encodeList(List.of(config)))));
    gateway = OhttpGateway.of(config, offeredKey);
  }

  URI serve(byte[] tokenKey, HpkePrivateKey offeredKey) throws Exception {
    boot(tokenKey, offeredKey, 1);
    byte[] jwks = TestTokens.jwks(service, "k1").getBytes(UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/attestation",
        ex -> {
          attestationCalls.incrementAndGet();
          reply(ex, attestation);
        });
    server.createContext("/.well-known/jwks.json", ex -> reply(ex, jwks));
    server.createContext("/v1/infer", this::infer);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * The gateway side as RFC 9458 has it: an unknown key id is the section 5.3 problem; otherwise
   * the Binary HTTP request is recorded and {@link #answer} (default: the input echoed) goes back
   * encapsulated.
   */
  private void infer(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
    try (ex) {
      inferCalls.incrementAndGet();
      byte[] body = ex.getRequestBody().readAllBytes();
      OhttpGateway.Request req;
      try {
        req = gateway.decapsulateRequest(ex.getRequestHeaders().getFirst("Content-Type"), body);
      } catch (OhttpException e) {
        byte[] problem =
            ("{\"type\":\""
                    + ProblemTypes.KEY_CONFIG
                    + "\",\"title\":\"key configuration unknown\",\"status\":400}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/problem+json");
        ex.sendResponseHeaders(400, problem.length);
        ex.getResponseBody().write(problem);
        return;
      }
      try {
        BhttpRequest inner = BinaryHttp.decodeRequest(req.message());
        received.add(inner);
        InferenceMessages.Answer a = answer;
        if (a == null) {
          InferenceMessages.Request r = InferenceMessages.decodeRequest(inner.content());
          a = new InferenceMessages.Response(r.modelId(), 3, r.inputs());
        }
        byte[] out = req.encapsulateResponse(InferenceHttp.encodeAnswer(a), new SecureRandom());
        ex.getResponseHeaders().set("Content-Type", MediaTypes.RESPONSE);
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      } catch (Exception e) {
        ex.sendResponseHeaders(500, -1);
      }
    }
  }

  static void reply(com.sun.net.httpserver.HttpExchange ex, byte[] body)
      throws java.io.IOException {
    try (ex) {
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  static HpkePrivateKey newKey() throws Exception {
    return HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, new SecureRandom());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static Map<String, Tensor> input() throws Exception {
    return Map.of("x", Tensor.ofFloats("x", new long[] {1}, new float[] {1f}));
  }

  @Test
  void theInferenceIsABinaryHttpPostInsideOhttp() throws Exception {
    HpkePrivateKey key = newKey();
    URI url = serve(key.publicKey().bytes(), key);
    RuntimeClient client =
        RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK);
    InferenceMessages.Response r = client.infer("triage", "phi", "care", input());
    assertThat(r.outputs().get("x").floats()).containsExactly(1f);
    assertThat(received).hasSize(1);
    BhttpRequest inner = received.get(0);
    assertThat(inner.method()).isEqualTo("POST");
    assertThat(inner.path()).isEqualTo("/v1/infer");
    assertThat(inner.authority()).isEqualTo(url.getAuthority());
    assertThat(inner.fields()).containsExactly(Field.of("content-type", "application/json"));
  }

  @Test
  void aRefusalInsideTheEncryptionKeepsItsIdAndStatus() throws Exception {
    HpkePrivateKey key = newKey();
    URI url = serve(key.publicKey().bytes(), key);
    RuntimeClient client =
        RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK);
    answer = new InferenceMessages.Refusal("infer.rate-limited", "3 per minute");
    assertThatThrownBy(() -> client.infer("triage", "phi", "care", input()))
        .isInstanceOfSatisfying(
            InferenceRefusedException.class,
            e -> {
              assertThat(e.id()).isEqualTo("infer.rate-limited");
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage()).isEqualTo("3 per minute");
            });
  }

  @Test
  void onTheKeyConfigurationProblemTheClientAttestsAgainAndRetriesOnce() throws Exception {
    HpkePrivateKey before = newKey();
    URI url = serve(before.publicKey().bytes(), before);
    RuntimeClient client =
        RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK);
    assertThat(attestationCalls).hasValue(1);
    // The runtime restarts: a new key under a new id, and a token that binds it.
    HpkePrivateKey after = newKey();
    boot(after.publicKey().bytes(), after, 2);

    InferenceMessages.Response r = client.infer("triage", "phi", "care", input());
    assertThat(r.outputs().get("x").floats()).containsExactly(1f);
    assertThat(inferCalls).as("the stale request, then the retry").hasValue(2);
    assertThat(attestationCalls).hasValue(2);
    assertThat(client.attestation().runtimeKey()).isEqualTo(after.publicKey().bytes());
    // The next request goes straight to the new key.
    client.infer("triage", "phi", "care", input());
    assertThat(inferCalls).hasValue(3);
    assertThat(attestationCalls).hasValue(2);
  }

  @Test
  void aRefetchedKeyTheNewTokenDoesNotBindIsRefusedBeforeTheRetry() throws Exception {
    HpkePrivateKey before = newKey();
    URI url = serve(before.publicKey().bytes(), before);
    RuntimeClient client =
        RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK);
    boot(before.publicKey().bytes(), newKey(), 2); // a new key the token does not bind
    assertThatThrownBy(() -> client.infer("triage", "phi", "care", input()))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.KEY_MISMATCH));
    assertThat(inferCalls).hasValue(1);
  }

  @Test
  void aSecondKeyConfigurationProblemIsAnErrorNotALoop() throws Exception {
    HpkePrivateKey key = newKey();
    URI url = serve(key.publicKey().bytes(), key);
    RuntimeClient client =
        RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK);
    // The gateway now holds only id 2, but the runtime keeps offering the id-1 configuration.
    HpkePrivateKey other = newKey();
    gateway =
        OhttpGateway.of(
            KeyConfig.of(
                2,
                other.publicKey(),
                List.of(
                    KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM))),
            other);
    assertThatThrownBy(() -> client.infer("triage", "phi", "care", input()))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("key");
    assertThat(inferCalls).hasValue(2);
    assertThat(attestationCalls).hasValue(2);
  }

  @Test
  void aRuntimeOfferingAKeyItsTokenDoesNotBindIsRefused() throws Exception {
    HpkePrivateKey attested = newKey();
    URI url = serve(attested.publicKey().bytes(), newKey());
    assertThatThrownBy(
            () -> RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.KEY_MISMATCH));
  }

  @Test
  void aTokenForAnotherDeploymentsApplicationsIsRefused() throws Exception {
    HpkePrivateKey key = newKey();
    URI url = serve(key.publicKey().bytes(), key);
    assertThatThrownBy(
            () -> RuntimeClient.connect(url, url, TestTokens.ISSUER, "billing-applications", CLOCK))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.AUDIENCE));
    assertThat(received).isEmpty();
  }

  @Test
  void nothingIsSentForAModelOrDataClassTheTokenDoesNotGrant() throws Exception {
    HpkePrivateKey key = newKey();
    URI url = serve(key.publicKey().bytes(), key);
    RuntimeClient client =
        RuntimeClient.connect(url, url, TestTokens.ISSUER, TestTokens.AUDIENCE, CLOCK);
    Map<String, Tensor> input = Map.of("x", Tensor.ofFloats("x", new long[] {1}, new float[] {1f}));
    for (String[] request : new String[][] {{"triage", "pci"}, {"other-model", "phi"}}) {
      assertThatThrownBy(() -> client.infer(request[0], request[1], "care", input))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.NOT_GRANTED));
    }
    assertThat(inferCalls).hasValue(0);
  }
}
