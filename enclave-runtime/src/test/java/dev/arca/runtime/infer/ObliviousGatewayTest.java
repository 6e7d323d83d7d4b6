// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.crypto.bhttp.BhttpResponse;
import dev.arca.crypto.bhttp.BinaryHttp;
import dev.arca.crypto.bhttp.Field;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.ohttp.ProblemTypes;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.model.LoadedModel;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.OnnxModel;
import dev.arca.runtime.testing.OnnxGraphs;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's Oblivious HTTP gateway ({@link RuntimeHttpServer}) and the Binary HTTP target
 * behind it ({@link InferenceTarget}), fed requests built without Arca's encoders: the encapsulated
 * request of RFC 9458 Appendix A (the gateway holds that appendix's key), and Binary HTTP requests
 * assembled byte by byte here from RFC 9292 section 3. A real ONNX Runtime session (a 4-element
 * adder) answers.
 */
class ObliviousGatewayTest {
  // RFC 9458 Appendix A (also in crypto's vectors/ohttp/rfc9458-appendix-a.json).
  private static final String SK_R =
      "3c168975674b2fa8e465970b79c8dcf09f1c741626480bd4c6162fc5b6a98e1a";
  private static final String KEY_CONFIG =
      "01002031e1f05a740102115220e9af918f738674aec95f54db6e04eb705aae8e79815500080001000100010003";
  private static final String SK_E =
      "bc51d5e930bda26589890ac7032f70ad12e4ecb37abb1b65b1256c9c48999c73";
  private static final String REQUEST_BHTTP = "00034745540568747470730b6578616d706c652e636f6d012f";
  private static final String ENCAPSULATED_REQUEST =
      "010020000100014b28f881333e7c164ffc499ad9796f877f4e1051ee6d31bad19dec96c208b472"
          + "6374e469135906992e1268c594d2a10c695d858c40a026e7965e7d86b83dd440b2c0185204b4d63525";

  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] W = {1f, 2f, 3f, 4f};

  private final HttpClient http = HttpClient.newHttpClient();
  private KeyConfig config;
  private ModelHost host;
  private RuntimeHttpServer server;

  @BeforeEach
  void start() throws Exception {
    config = KeyConfig.decode(HEX.parseHex(KEY_CONFIG));
    HpkePrivateKey skR =
        HpkePrivateKey.of(
            HpkeKem.DHKEM_X25519_HKDF_SHA256, HEX.parseHex(SK_R), InsecureSecretKeyAccess.get());
    host = new ModelHost();
    byte[] onnx = OnnxGraphs.add(W);
    ByteBuffer direct = ByteBuffer.allocateDirect(onnx.length);
    direct.put(onnx).flip();
    Manifest manifest =
        Manifest.builder()
            .modelId("adder")
            .version(1)
            .plaintextSha256(java.security.MessageDigest.getInstance("SHA-256").digest(onnx))
            .plaintextSize(onnx.length)
            .input(TensorSpec.of("x", "float32", 4))
            .output(TensorSpec.of("y", "float32", 4))
            .dataClass("synthetic")
            .minRuntimeVersion("0.1.0")
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .publisherKeyId("publisher-1")
            .build();
    Instant end = Instant.now().plusSeconds(600);
    host.install(
        new LoadedModel(
            manifest,
            OnnxModel.load(direct),
            new Lease("adder", 1, Set.of("synthetic"), end, end)));
    Standing online = new Standing.Online(Instant.now());
    server =
        new RuntimeHttpServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            OhttpGateway.of(config, skR),
            new InferenceHandler(host, Clock.systemUTC(), () -> online),
            () -> "token",
            host,
            () -> online,
            () -> "");
  }

  @AfterEach
  void stop() {
    server.close();
    host.close();
  }

  // ---- an independent Binary HTTP encoder (RFC 9292 section 3, RFC 9000 section 16 varints) ----

  private static void varint(ByteArrayOutputStream out, long v) {
    if (v < 64) {
      out.write((int) v);
    } else if (v < 16384) {
      out.write((int) (0x40 | (v >> 8)));
      out.write((int) (v & 0xff));
    } else {
      out.write((int) (0x80 | (v >> 24)));
      out.write((int) ((v >> 16) & 0xff));
      out.write((int) ((v >> 8) & 0xff));
      out.write((int) (v & 0xff));
    }
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] b) {
    varint(out, b.length);
    out.writeBytes(b);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Known-length request (framing indicator 0): control data, field section, content, trailers. */
  private static byte[] knownLength(
      String method, String path, String contentType, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, 0);
    for (String control : new String[] {method, "https", "runtime.example", path}) {
      lengthPrefixed(out, ascii(control));
    }
    ByteArrayOutputStream fields = new ByteArrayOutputStream();
    lengthPrefixed(fields, ascii("content-type"));
    lengthPrefixed(fields, ascii(contentType));
    lengthPrefixed(out, fields.toByteArray());
    lengthPrefixed(out, content);
    varint(out, 0); // empty trailer section
    return out.toByteArray();
  }

  /**
   * Indeterminate-length request (framing indicator 2): fields end with a zero-length name, content
   * comes in chunks ending with a zero-length chunk, then an empty trailer section.
   */
  private static byte[] indeterminateLength(String contentType, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, 2);
    for (String control : new String[] {"POST", "https", "", "/v1/infer"}) {
      lengthPrefixed(out, ascii(control));
    }
    lengthPrefixed(out, ascii("content-type"));
    lengthPrefixed(out, ascii(contentType));
    varint(out, 0);
    int half = content.length / 2;
    lengthPrefixed(out, java.util.Arrays.copyOfRange(content, 0, half));
    lengthPrefixed(out, java.util.Arrays.copyOfRange(content, half, content.length));
    varint(out, 0);
    varint(out, 0);
    return out.toByteArray();
  }

  private static byte[] addRequest(String model, String dataClass) throws Exception {
    return InferenceMessages.encode(
        new InferenceMessages.Request(
            model,
            dataClass,
            "test",
            Map.of("x", Tensor.ofFloats("x", new long[] {4}, new float[] {1, 1, 1, 1}))));
  }

  // ---- exchanges ----

  private HttpResponse<byte[]> post(byte[] encapsulated) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/infer"))
            .header("Content-Type", MediaTypes.REQUEST)
            .POST(HttpRequest.BodyPublishers.ofByteArray(encapsulated))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Encapsulates {@code bhttp}, sends it, checks the outer answer and returns the inner one. */
  private BhttpResponse exchange(byte[] bhttp) throws Exception {
    OhttpClient.Request req =
        OhttpClient.encapsulateRequest(
            config, HpkeKdf.HKDF_SHA256, HpkeAead.AES_128_GCM, bhttp, new SecureRandom());
    HttpResponse<byte[]> res = post(req.encapsulated());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).contains(MediaTypes.RESPONSE);
    byte[] inner = req.decapsulateResponse(MediaTypes.RESPONSE, res.body());
    assertThat(inner[0]).as("known-length response framing indicator").isEqualTo((byte) 1);
    return BinaryHttp.decodeResponse(inner);
  }

  private static String contentType(BhttpResponse r) {
    return r.fields().stream()
        .filter(f -> f.name().equals("content-type"))
        .map(Field::value)
        .findFirst()
        .orElse("");
  }

  private static JsonNode problem(BhttpResponse r, int status, String id) throws Exception {
    assertThat(r.status()).isEqualTo(status);
    assertThat(contentType(r)).isEqualTo("application/problem+json");
    JsonNode p = JSON.readTree(r.content());
    assertThat(p.path("type").asText()).isEqualTo("https://arca.dev/problems/runtime/" + id);
    assertThat(p.path("status").asInt()).isEqualTo(status);
    return p;
  }

  private static void assertSum(BhttpResponse r) throws Exception {
    assertThat(r.status()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("application/json");
    InferenceMessages.Response answer = InferenceMessages.decodeResponse(r.content());
    assertThat(answer.outputs().get("y").floats()).containsExactly(2f, 3f, 4f, 5f);
  }

  @Test
  void theEncapsulatedRequestOfRfc9458AppendixAIsServed() throws Exception {
    // The appendix's client state, reproduced from its ephemeral key, opens the answer.
    OhttpClient.Request client =
        OhttpClient.encapsulateRequest(
            config,
            HpkeKdf.HKDF_SHA256,
            HpkeAead.AES_128_GCM,
            HEX.parseHex(REQUEST_BHTTP),
            new FixedKey(HEX.parseHex(SK_E)));
    assertThat(HEX.formatHex(client.encapsulated())).isEqualTo(ENCAPSULATED_REQUEST);

    HttpResponse<byte[]> res = post(HEX.parseHex(ENCAPSULATED_REQUEST));
    assertThat(res.statusCode()).isEqualTo(200);
    BhttpResponse inner =
        BinaryHttp.decodeResponse(
            client.decapsulateResponse(
                res.headers().firstValue("Content-Type").orElse(""), res.body()));
    // GET https://example.com/ is not a resource of the runtime: a 404 inside the encryption.
    JsonNode p = problem(inner, 404, "infer.not-found");
    assertThat(p.path("detail").asText()).contains("/v1/infer");
  }

  @Test
  void handAssembledBinaryHttpRequestsOfBothFramingsAreAnswered() throws Exception {
    assertSum(
        exchange(
            knownLength(
                "POST", "/v1/infer", "application/json", addRequest("adder", "synthetic"))));
    assertSum(
        exchange(
            indeterminateLength(
                "application/json; charset=utf-8", addRequest("adder", "synthetic"))));
  }

  @Test
  void theInnerRequestIsRoutedByMethodPathAndContentType() throws Exception {
    byte[] body = addRequest("adder", "synthetic");
    BhttpResponse get = exchange(knownLength("GET", "/v1/infer", "application/json", body));
    problem(get, 405, "infer.method-not-allowed");
    assertThat(get.fields()).contains(Field.of("allow", "POST"));
    problem(
        exchange(knownLength("POST", "/v1/other", "application/json", body)),
        404,
        "infer.not-found");
    problem(
        exchange(knownLength("POST", "/v1/infer", "text/plain", body)),
        415,
        "infer.unsupported-media-type");
    problem(
        exchange(knownLength("POST", "/v1/infer", "application/json", ascii("{"))),
        400,
        "infer.malformed-request");
    problem(exchange(new byte[] {1, 0x40, (byte) 0xc8}), 400, "bhttp.bad-framing");
    problem(exchange(new byte[] {0, 4, 'P', 'O'}), 400, "bhttp.malformed");
  }

  @Test
  void refusalsCarryTheirStatusInsideTheEncryption() throws Exception {
    problem(
        exchange(
            knownLength("POST", "/v1/infer", "application/json", addRequest("nope", "synthetic"))),
        404,
        "infer.unknown-model");
    problem(
        exchange(knownLength("POST", "/v1/infer", "application/json", addRequest("adder", "phi"))),
        403,
        "lease.data-class-not-granted");
  }

  @Test
  void anUnknownKeyIdIsTheRfc9458KeyConfigurationProblem() throws Exception {
    byte[] stale = HEX.parseHex(ENCAPSULATED_REQUEST);
    stale[0] = 2; // the gateway holds key id 1 only
    HttpResponse<byte[]> res = post(stale);
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode p = JSON.readTree(res.body());
    assertThat(p.path("type").asText())
        .isEqualTo(ProblemTypes.KEY_CONFIG)
        .isEqualTo("https://iana.org/assignments/http-problem-types#ohttp-key");
    assertThat(p.path("status").asInt()).isEqualTo(400);

    // An algorithm the key configuration does not offer (AES-256-GCM) is the same problem.
    byte[] otherAead = HEX.parseHex(ENCAPSULATED_REQUEST);
    otherAead[6] = 2;
    HttpResponse<byte[]> res2 = post(otherAead);
    assertThat(res2.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(res2.body()).path("type").asText()).isEqualTo(ProblemTypes.KEY_CONFIG);

    // A request that does not authenticate under the key it names is not a key problem.
    byte[] tampered = HEX.parseHex(ENCAPSULATED_REQUEST);
    tampered[tampered.length - 1] ^= 1;
    HttpResponse<byte[]> res3 = post(tampered);
    assertThat(res3.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(res3.body()).path("type").asText())
        .isEqualTo("https://arca.dev/problems/runtime/ohttp.request-decrypt-failed");
  }

  /** Randomness that hands out one fixed 32-byte secret (the appendix's ephemeral key). */
  private static final class FixedKey extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private boolean used;

    FixedKey(byte[] key) {
      this.key = key;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (used || bytes.length != key.length) {
        throw new IllegalStateException("only the one ephemeral key is available");
      }
      used = true;
      System.arraycopy(key, 0, bytes, 0, key.length);
    }
  }
}
