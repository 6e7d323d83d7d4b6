package dev.arca.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.TestTokens;
import dev.arca.client.tensor.Tensor;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
 * The application SDK against a runtime that misbehaves in ways a real runtime cannot be made to:
 * it offers an encryption key its EAR token does not bind (a substituted or stolen token). The
 * stand-in serves only the two documents the SDK reads; the token is made as the service makes it.
 * The SDK must refuse before any data leaves the application.
 */
class RuntimeClientTest {
  static final Clock CLOCK = Clock.fixed(TestTokens.NOW, ZoneOffset.UTC);
  final KeyPair service = TestTokens.ecKey();
  final AtomicInteger inferCalls = new AtomicInteger();
  HttpServer server;

  URI serve(byte[] tokenKey, HpkePrivateKey offeredKey) throws Exception {
    JwtClaims claims =
        TestTokens.claims(TestTokens.ISSUER, TestTokens.NOW.plusSeconds(600), "affirming");
    TestTokens.bindRuntimeKey(claims, tokenKey);
    String token = TestTokens.es256(service, "k1", claims);
    byte[] keys =
        KeyConfig.encodeList(
            List.of(
                KeyConfig.of(
                    1,
                    offeredKey.publicKey(),
                    List.of(
                        KeyConfig.SymmetricAlgorithm.of(
                            HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM)))));
    byte[] attestation =
        new ObjectMapper()
            .writeValueAsBytes(
                Map.of("token", token, "ohttpKeys", Base64.getEncoder().encodeToString(keys)));
    byte[] jwks = TestTokens.jwks(service, "k1").getBytes(UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/attestation", ex -> reply(ex, attestation));
    server.createContext("/.well-known/jwks.json", ex -> reply(ex, jwks));
    server.createContext(
        "/v1/infer",
        ex -> {
          inferCalls.incrementAndGet();
          reply(ex, new byte[0]);
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
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

  @Test
  void aRuntimeOfferingAKeyItsTokenDoesNotBindIsRefused() throws Exception {
    HpkePrivateKey attested = newKey();
    URI url = serve(attested.publicKey().bytes(), newKey());
    assertThatThrownBy(() -> RuntimeClient.connect(url, url, TestTokens.ISSUER, CLOCK))
        .isInstanceOfSatisfying(
            EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.KEY_MISMATCH));
  }

  @Test
  void nothingIsSentForAModelOrDataClassTheTokenDoesNotGrant() throws Exception {
    HpkePrivateKey key = newKey();
    URI url = serve(key.publicKey().bytes(), key);
    RuntimeClient client = RuntimeClient.connect(url, url, TestTokens.ISSUER, CLOCK);
    Map<String, Tensor> input = Map.of("x", Tensor.ofFloats("x", new long[] {1}, new float[] {1f}));
    for (String[] request : new String[][] {{"triage", "pci"}, {"other-model", "phi"}}) {
      assertThatThrownBy(() -> client.infer(request[0], request[1], "care", input))
          .isInstanceOfSatisfying(
              EarException.class, e -> assertThat(e.id()).isEqualTo(EarException.NOT_GRANTED));
    }
    assertThat(inferCalls).hasValue(0);
  }
}
