package dev.arca.client.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.client.tensor.Tensor;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * End-to-end encrypted inference for applications (flow 4 of docs/architecture.md): fetch the
 * runtime's EAR token, verify it against the attestation service's JWKS at a given time (ES256
 * signature, issuer, expiry, no contraindicated submodule), check that the runtime's OHTTP key is
 * the key the token binds in {@code cnf} (constant-time) and that its grants ({@code arca.grants})
 * cover the model and data class, then send requests encapsulated to that key (RFC 9458). Plaintext
 * exists only here and inside the runtime.
 */
public final class InferenceClient {
  /** The issuer the Arca service puts in its EAR tokens. */
  public static final String ISSUER = "arca-attestation-service";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final AttestedRuntime runtime;

  private InferenceClient(AttestedRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Verifies the runtime at {@code runtimeUrl} against the service at {@code serviceUrl} at time
   * {@code now}.
   *
   * @throws InferenceClientException {@code infer.unreachable}, {@code infer.token-invalid}, {@code
   *     infer.token-contraindicated}, {@code infer.key-mismatch}
   */
  public static InferenceClient connect(URI runtimeUrl, URI serviceUrl, Instant now)
      throws InferenceClientException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    JsonNode attestation = getJson(http, runtimeUrl.resolve("/v1/attestation"), "the runtime");
    String jwks =
        new String(
            get(http, serviceUrl.resolve("/.well-known/jwks.json"), "the service"),
            java.nio.charset.StandardCharsets.UTF_8);
    JwtClaims claims;
    try {
      claims =
          new JwtConsumerBuilder()
              .setVerificationKeyResolver(
                  new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
              .setRequireExpirationTime()
              .setExpectedIssuer(ISSUER)
              .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
              .setAllowedClockSkewInSeconds(30)
              .build()
              .processToClaims(attestation.path("token").asText());
    } catch (InvalidJwtException | JoseException e) {
      throw new InferenceClientException(
          "infer.token-invalid",
          "the runtime's EAR token does not verify against " + serviceUrl + ": " + e.getMessage());
    }
    JsonNode payload;
    try {
      payload = JSON.readTree(claims.toJson());
    } catch (IOException e) {
      throw new InferenceClientException("infer.token-invalid", "EAR claims are not JSON");
    }
    Map<String, String> status = new LinkedHashMap<>();
    String policy = "";
    for (Map.Entry<String, JsonNode> e : payload.path("submods").properties()) {
      String s = e.getValue().path("ear.status").asText("none");
      status.put(e.getKey(), s);
      policy = e.getValue().path("ear.appraisal-policy-id").asText(policy);
      if (s.equals("contraindicated")) {
        throw new InferenceClientException(
            "infer.token-contraindicated",
            "the service appraised the runtime's " + e.getKey() + " evidence as contraindicated");
      }
    }
    KeyConfig config;
    try {
      List<KeyConfig> configs =
          KeyConfig.decodeList(Base64.getDecoder().decode(attestation.path("ohttpKeys").asText()));
      config = configs.get(0);
    } catch (Exception e) {
      throw new InferenceClientException(
          "infer.bad-answer", "the runtime's OHTTP key configuration is malformed");
    }
    byte[] bound;
    try {
      bound = Base64.getUrlDecoder().decode(payload.at("/cnf/jwk/x").asText(""));
    } catch (IllegalArgumentException e) {
      bound = new byte[0];
    }
    if (!MessageDigest.isEqual(bound, config.publicKey().bytes())) {
      throw new InferenceClientException(
          "infer.key-mismatch",
          "the runtime's OHTTP key is not the key its EAR token attests (cnf); refusing to send");
    }
    Map<String, java.util.Set<String>> granted = new LinkedHashMap<>();
    for (JsonNode g : payload.path("arca.grants")) {
      java.util.Set<String> classes =
          granted.computeIfAbsent(g.path("model").asText(), k -> new java.util.TreeSet<>());
      g.path("dataClasses").forEach(c -> classes.add(c.asText()));
    }
    long exp = payload.path("exp").asLong();
    return new InferenceClient(
        new AttestedRuntime(
            runtimeUrl,
            payload.path("sub").asText(),
            status,
            policy,
            Instant.ofEpochSecond(exp),
            config,
            granted));
  }

  /** What was verified about the runtime. */
  public AttestedRuntime runtime() {
    return runtime;
  }

  /**
   * Sends one request, end to end encrypted; answers an {@link InferenceMessages.Response} or the
   * runtime's {@link InferenceMessages.Refusal}. Fails closed before any data leaves: the runtime's
   * token must grant {@code modelId} for {@code dataClass}.
   *
   * @throws InferenceClientException {@code infer.not-granted} (nothing was sent), {@code
   *     infer.unreachable}, {@code infer.bad-answer}
   */
  public Object infer(String modelId, String dataClass, String purpose, Map<String, Tensor> inputs)
      throws InferenceClientException {
    if (!runtime.grants(modelId, dataClass)) {
      throw new InferenceClientException(
          "infer.not-granted",
          "the runtime's attestation grants "
              + modelId
              + " for "
              + runtime.grantedDataClasses().getOrDefault(modelId, java.util.Set.of())
              + ", not for "
              + dataClass
              + "; nothing was sent");
    }
    try {
      byte[] plaintext =
          InferenceMessages.encode(
              new InferenceMessages.Request(modelId, dataClass, purpose, inputs));
      OhttpClient.Request req =
          OhttpClient.encapsulateRequest(runtime.keyConfig(), plaintext, RANDOM);
      java.util.Arrays.fill(plaintext, (byte) 0);
      HttpResponse<byte[]> res =
          http.send(
              HttpRequest.newBuilder(runtime.url().resolve("/v1/infer"))
                  .timeout(Duration.ofMinutes(5))
                  .header("Content-Type", MediaTypes.REQUEST)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(req.encapsulated()))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (res.statusCode() != 200) {
        throw new InferenceClientException(
            "infer.bad-answer", "the runtime answered HTTP " + res.statusCode());
      }
      return InferenceMessages.decodeResponse(
          req.decapsulateResponse(res.headers().firstValue("Content-Type").orElse(""), res.body()));
    } catch (IOException e) {
      throw new InferenceClientException(
          "infer.unreachable", "the runtime at " + runtime.url() + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceClientException("infer.unreachable", "interrupted");
    } catch (InferenceClientException e) {
      throw e;
    } catch (Exception e) {
      throw new InferenceClientException(
          "infer.bad-answer", "the runtime's answer did not decrypt or decode: " + e.getMessage());
    }
  }

  private static JsonNode getJson(HttpClient http, URI url, String who)
      throws InferenceClientException {
    try {
      return JSON.readTree(get(http, url, who));
    } catch (IOException e) {
      throw new InferenceClientException("infer.bad-answer", who + " answered something not JSON");
    }
  }

  private static byte[] get(HttpClient http, URI url, String who) throws InferenceClientException {
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new InferenceClientException(
            "infer.unreachable", who + " at " + url + " answered HTTP " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new InferenceClientException(
          "infer.unreachable", "no answer from " + who + " at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceClientException("infer.unreachable", "interrupted");
    }
  }
}
