package dev.arca.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.EarVerifier;
import dev.arca.client.ear.VerifiedEar;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import dev.arca.crypto.ohttp.OhttpException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * An application's end-to-end encrypted channel to one attested runtime. {@link #connect} fetches
 * the runtime's EAR token and OHTTP key configuration, verifies the token against the attestation
 * service's JWKS ({@link EarVerifier}) and requires the key configuration's key to be the one the
 * token binds in {@code cnf}; {@link #infer} sends nothing unless the token is still valid and
 * grants the model for the data class, then encapsulates the request (RFC 9458) so only that
 * runtime can read it. Thread-safe.
 */
public final class RuntimeClient {
  /** The issuer an Arca attestation service puts in its EAR tokens by default. */
  public static final String ISSUER = "arca-attestation-service";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI runtime;
  private final HttpClient http;
  private final Clock clock;
  private final VerifiedEar ear;
  private final KeyConfig keyConfig;

  private RuntimeClient(
      URI runtime, HttpClient http, Clock clock, VerifiedEar ear, KeyConfig keyConfig) {
    this.runtime = runtime;
    this.http = http;
    this.clock = clock;
    this.ear = ear;
    this.keyConfig = keyConfig;
  }

  /**
   * Connects to the runtime at {@code runtime}, trusting the service at {@code service} (issuer
   * {@code issuer}, by default {@code arca-attestation-service}).
   *
   * @throws EarException if the runtime's attestation does not verify or binds another key
   * @throws IOException if either endpoint cannot be reached or answers nonsense
   */
  public static RuntimeClient connect(URI runtime, URI service, String issuer, Clock clock)
      throws IOException, EarException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String jwks = new String(get(http, service.resolve("/.well-known/jwks.json")), UTF_8);
    JsonNode attestation = JSON.readTree(get(http, runtime.resolve("/v1/attestation")));
    String token = attestation.path("token").asText("");
    VerifiedEar ear = EarVerifier.of(jwks, issuer).verify(token, clock.instant());
    KeyConfig config;
    try {
      config =
          KeyConfig.decodeList(Base64.getDecoder().decode(attestation.path("ohttpKeys").asText("")))
              .get(0);
    } catch (OhttpException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException("the runtime's OHTTP key configuration does not parse", e);
    }
    if (!MessageDigest.isEqual(config.publicKey().bytes(), ear.runtimeKey())) {
      throw new EarException(
          EarException.KEY_MISMATCH,
          "the runtime offers an encryption key its attestation does not bind; do not send it"
              + " data");
    }
    return new RuntimeClient(runtime, http, clock, ear, config);
  }

  /** {@link #connect(URI, URI, String, Clock)} with the default issuer and the system clock. */
  public static RuntimeClient connect(URI runtime, URI service) throws IOException, EarException {
    return connect(runtime, service, ISSUER, Clock.systemUTC());
  }

  /** The verified attestation result. */
  public VerifiedEar attestation() {
    return ear;
  }

  /**
   * Runs {@code model} on {@code inputs} for {@code dataClass} and {@code purpose}.
   *
   * @throws EarException {@code ear.expired} or {@code ear.not-granted}: nothing was sent
   * @throws InferenceRefusedException the runtime refused, with its reason (inside the encryption)
   * @throws IOException transport failure or an answer that does not decrypt
   */
  public InferenceMessages.Response infer(
      String model, String dataClass, String purpose, Map<String, Tensor> inputs)
      throws EarException, InferenceRefusedException, IOException {
    if (!clock.instant().isBefore(ear.expiresAt())) {
      throw new EarException(
          EarException.EXPIRED, "the runtime's attestation has expired; connect again");
    }
    ear.requireGrant(model, dataClass);
    byte[] plaintext =
        InferenceMessages.encode(new InferenceMessages.Request(model, dataClass, purpose, inputs));
    try {
      OhttpClient.Request req = OhttpClient.encapsulateRequest(keyConfig, plaintext, RANDOM);
      HttpResponse<byte[]> res;
      try {
        res =
            http.send(
                HttpRequest.newBuilder(runtime.resolve("/v1/infer"))
                    .header("Content-Type", MediaTypes.REQUEST)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(req.encapsulated()))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (res.statusCode() != 200) {
        throw new IOException("the runtime answered HTTP " + res.statusCode());
      }
      Object answer =
          InferenceMessages.decodeResponse(
              req.decapsulateResponse(
                  res.headers().firstValue("Content-Type").orElse(""), res.body()));
      if (answer instanceof InferenceMessages.Refusal refusal) {
        throw new InferenceRefusedException(refusal);
      }
      return (InferenceMessages.Response) answer;
    } catch (OhttpException | TensorFormatException e) {
      throw new IOException("the runtime's answer does not decrypt or parse: " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  private static byte[] get(HttpClient http, URI uri) throws IOException {
    try {
      HttpResponse<byte[]> res =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (res.statusCode() != 200) {
        throw new IOException(uri + " answered HTTP " + res.statusCode());
      }
      return res.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
