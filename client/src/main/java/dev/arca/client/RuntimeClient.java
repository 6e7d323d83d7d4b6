// SPDX-License-Identifier: Apache-2.0
package dev.arca.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.EarVerifier;
import dev.arca.client.ear.VerifiedEar;
import dev.arca.client.infer.InferenceHttp;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import dev.arca.crypto.ohttp.OhttpException;
import dev.arca.crypto.ohttp.ProblemTypes;
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
import java.util.Objects;
import java.util.Optional;

/**
 * An application's end-to-end encrypted channel to one attested runtime. {@link #connect} fetches
 * the runtime's EAR token and OHTTP key configuration, verifies the token against the attestation
 * service's JWKS ({@link EarVerifier}) and requires the key configuration's key to be the one the
 * token binds in {@code cnf}; {@link #infer} sends nothing unless the token is still valid and
 * grants the model for the data class, then encapsulates a Binary HTTP request ({@link
 * InferenceHttp}, RFC 9292) with Oblivious HTTP (RFC 9458) so only that runtime can read it.
 *
 * <p>When the runtime answers that the key configuration is not one it holds (RFC 9458 section 5.3,
 * e.g. it restarted with a new key), the client attests the runtime again exactly as {@link
 * #connect} does and retries once; a key the new token does not bind is still refused. Thread-safe.
 */
public final class RuntimeClient {
  /** The issuer an Arca attestation service puts in its EAR tokens by default. */
  public static final String ISSUER = "arca-attestation-service";

  /**
   * The audience an Arca attestation service puts in its EAR tokens by default ({@code
   * arca.token.audience}): the applications of that deployment.
   */
  public static final String AUDIENCE = "arca-applications";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A verified token and the key configuration whose key it binds. */
  private record Attested(VerifiedEar ear, KeyConfig keyConfig) {}

  private final URI runtime;
  private final URI service;
  private final String issuer;
  private final String audience;
  private final HttpClient http;
  private final Clock clock;
  private volatile Attested attested;

  private RuntimeClient(
      URI runtime,
      URI service,
      String issuer,
      String audience,
      HttpClient http,
      Clock clock,
      Attested attested) {
    this.runtime = runtime;
    this.service = service;
    this.issuer = issuer;
    this.audience = audience;
    this.http = http;
    this.clock = clock;
    this.attested = attested;
  }

  /**
   * Connects to the runtime at {@code runtime}, trusting the service at {@code service} for tokens
   * from {@code issuer} meant for {@code audience} (by default {@link #ISSUER} and {@link
   * #AUDIENCE}); a token for another deployment's applications is refused ({@code ear.audience}).
   *
   * @throws EarException if the runtime's attestation does not verify or binds another key
   * @throws IOException if either endpoint cannot be reached or answers nonsense
   */
  public static RuntimeClient connect(
      URI runtime, URI service, String issuer, String audience, Clock clock)
      throws IOException, EarException {
    Objects.requireNonNull(audience, "audience");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return new RuntimeClient(
        runtime,
        service,
        issuer,
        audience,
        http,
        clock,
        attest(http, runtime, service, issuer, audience, clock));
  }

  /**
   * {@link #connect(URI, URI, String, String, Clock)} with the default issuer and audience and the
   * system clock.
   */
  public static RuntimeClient connect(URI runtime, URI service) throws IOException, EarException {
    return connect(runtime, service, ISSUER, AUDIENCE, Clock.systemUTC());
  }

  private static Attested attest(
      HttpClient http, URI runtime, URI service, String issuer, String audience, Clock clock)
      throws IOException, EarException {
    String jwks = new String(get(http, service.resolve("/.well-known/jwks.json")), UTF_8);
    JsonNode attestation = JSON.readTree(get(http, runtime.resolve("/v1/attestation")));
    String token = attestation.path("token").asText("");
    VerifiedEar ear = EarVerifier.of(jwks, issuer, audience).verify(token, clock.instant());
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
    return new Attested(ear, config);
  }

  /** The verified attestation result (the latest, after a key configuration refetch). */
  public VerifiedEar attestation() {
    return attested.ear();
  }

  /**
   * Runs {@code model} on {@code inputs} for {@code dataClass} and {@code purpose}.
   *
   * @throws EarException {@code ear.expired} or {@code ear.not-granted}: nothing was sent; or,
   *     after the runtime's key configuration changed, its new attestation does not verify
   * @throws InferenceRefusedException the runtime refused, with its reason and status (inside the
   *     encryption)
   * @throws IOException transport failure, an HTTP error outside the encryption, or an answer that
   *     does not decrypt
   */
  public InferenceMessages.Response infer(
      String model, String dataClass, String purpose, Map<String, Tensor> inputs)
      throws EarException, InferenceRefusedException, IOException {
    byte[] plaintext =
        InferenceHttp.encodeRequest(
            new InferenceMessages.Request(model, dataClass, purpose, inputs),
            java.util.Objects.requireNonNullElse(runtime.getRawAuthority(), ""));
    try {
      Attested a = attested;
      for (int attempt = 1; ; attempt++) {
        if (!clock.instant().isBefore(a.ear().expiresAt())) {
          throw new EarException(
              EarException.EXPIRED, "the runtime's attestation has expired; connect again");
        }
        a.ear().requireGrant(model, dataClass);
        Optional<InferenceMessages.Answer> answer = exchange(a.keyConfig(), plaintext);
        if (answer.isEmpty()) {
          if (attempt == 2) {
            throw new IOException(
                "the runtime refused its freshly attested key configuration (RFC 9458 key"
                    + " problem)");
          }
          a = refresh(a);
          continue;
        }
        if (answer.get() instanceof InferenceMessages.Refusal refusal) {
          throw new InferenceRefusedException(refusal);
        }
        return (InferenceMessages.Response) answer.get();
      }
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * One encapsulated exchange; empty when the runtime answers the RFC 9458 key configuration
   * problem.
   */
  private Optional<InferenceMessages.Answer> exchange(KeyConfig keyConfig, byte[] plaintext)
      throws IOException {
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
      String contentType = res.headers().firstValue("Content-Type").orElse("");
      if (res.statusCode() != 200) {
        String type = problemType(contentType, res.body());
        if (res.statusCode() == 400 && ProblemTypes.KEY_CONFIG.equals(type)) {
          return Optional.empty();
        }
        throw new IOException(
            "the runtime answered HTTP "
                + res.statusCode()
                + (type.isEmpty() ? "" : " (" + type + ")"));
      }
      return Optional.of(
          InferenceHttp.decodeAnswer(req.decapsulateResponse(contentType, res.body())));
    } catch (OhttpException | TensorFormatException e) {
      throw new IOException("the runtime's answer does not decrypt or parse: " + e.getMessage(), e);
    }
  }

  /** Attests the runtime again unless another thread already replaced {@code stale}. */
  // Identity is the point: "has this very attestation been replaced", not "an equal one".
  @SuppressWarnings("ReferenceEquality")
  private synchronized Attested refresh(Attested stale) throws IOException, EarException {
    if (attested == stale) {
      attested = attest(http, runtime, service, issuer, audience, clock);
    }
    return attested;
  }

  /** The {@code type} of an {@code application/problem+json} body, or empty. */
  private static String problemType(String contentType, byte[] body) {
    if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith(InferenceHttp.PROBLEM_JSON)) {
      return "";
    }
    try {
      return JSON.readTree(body).path("type").asText("");
    } catch (IOException e) {
      return "";
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
