// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arca.client.infer.InferenceHttp;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorProtoCodec;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import dev.arca.crypto.ohttp.OhttpGateway;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.OpenedModel;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.model.LoadedModel;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.OnnxModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's encrypted inference path with real parts: a sealed Conv2d model opened into memory,
 * ONNX Runtime, Oblivious HTTP over a real loopback socket.
 */
class EncryptedInferenceTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  // Any past instant will do: the tests need a standing that is online, not a particular time.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Standing ONLINE = new Standing.Online(Instant.now());

  private final HttpClient http = HttpClient.newHttpClient();
  private ModelHost host;
  private RuntimeHttpServer server;
  private Tensor input;
  private Tensor expected;
  private String inputName;

  static byte[] resource(String path) throws Exception {
    try (InputStream in =
        EncryptedInferenceTest.class.getResourceAsStream("/vectors/onnx/" + path)) {
      return in.readAllBytes();
    }
  }

  @BeforeEach
  void start() throws Exception {
    byte[] onnx = resource("test_Conv2d/model.onnx");
    input = TensorProtoCodec.decode(resource("test_Conv2d/test_data_set_0/input_0.pb"), "x");
    expected = TensorProtoCodec.decode(resource("test_Conv2d/test_data_set_0/output_0.pb"), "y");

    PublisherSigningKey publisher =
        PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "publisher-1");
    PlaintextDigest digest = PlaintextDigest.of(new ByteArrayInputStream(onnx));
    inputName = "input";
    try (OnnxModel probe = OnnxModel.load(direct(onnx))) {
      inputName = probe.inputs().keySet().iterator().next();
    }
    Manifest manifest =
        Manifest.builder()
            .modelId("conv2d")
            .version(1)
            .plaintextSha256(digest.sha256())
            .plaintextSize(digest.size())
            .input(TensorSpec.of(inputName, "float32", input.shape()))
            .output(TensorSpec.of("y", "float32", expected.shape()))
            .dataClass("synthetic")
            .minRuntimeVersion("0.1.0")
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .publisherKeyId("publisher-1")
            .build();
    DataKey dataKey = DataKey.generate();
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    SealedModel.seal(manifest, publisher, dataKey, new ByteArrayInputStream(onnx), sealed);

    host = new ModelHost();
    try (OpenedModel opened =
        SealedModel.open(
            Channels.newChannel(new ByteArrayInputStream(sealed.toByteArray())),
            PublisherKeyRing.of(publisher.publicKey()),
            dataKey)) {
      OnnxModel model = OnnxModel.load(opened.plaintext());
      Instant now = Instant.now();
      host.install(
          new LoadedModel(
              opened.manifest(),
              model,
              new Lease(
                  "conv2d", 1, Set.of("synthetic"), now.plusSeconds(600), now.plusSeconds(600))));
    }

    HpkePrivateKey runtimeKey = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, RANDOM);
    KeyConfig config =
        KeyConfig.of(
            1,
            runtimeKey.publicKey(),
            List.of(KeyConfig.SymmetricAlgorithm.of(HpkeKdf.HKDF_SHA256, HpkeAead.AES_256_GCM)));
    server =
        new RuntimeHttpServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            OhttpGateway.of(config, runtimeKey),
            new InferenceHandler(host, Clock.systemUTC(), () -> ONLINE),
            () -> "token",
            host,
            () -> ONLINE,
            () -> "");
  }

  @AfterEach
  void stop() {
    server.close();
    host.close();
  }

  private static java.nio.ByteBuffer direct(byte[] b) {
    java.nio.ByteBuffer d = java.nio.ByteBuffer.allocateDirect(b.length);
    d.put(b).flip();
    return d;
  }

  private Object infer(String dataClass, Tensor tensor) throws Exception {
    URI base = URI.create("http://127.0.0.1:" + server.port());
    byte[] keys =
        http.send(
                HttpRequest.newBuilder(base.resolve("/v1/ohttp-keys")).build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    KeyConfig config = KeyConfig.decodeList(keys).get(0);
    byte[] plaintext =
        InferenceHttp.encodeRequest(
            new InferenceMessages.Request("conv2d", dataClass, "test", Map.of(inputName, tensor)),
            base.getAuthority());
    OhttpClient.Request req = OhttpClient.encapsulateRequest(config, plaintext, RANDOM);
    HttpResponse<byte[]> res =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v1/infer"))
                .header("Content-Type", MediaTypes.REQUEST)
                .POST(HttpRequest.BodyPublishers.ofByteArray(req.encapsulated()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).contains(MediaTypes.RESPONSE);
    return InferenceHttp.decodeAnswer(req.decapsulateResponse(MediaTypes.RESPONSE, res.body()));
  }

  @Test
  void encryptedInferenceMatchesTheExpectedOutput() throws Exception {
    Object answer = infer("synthetic", input.named(inputName));
    assertThat(answer).isInstanceOf(InferenceMessages.Response.class);
    InferenceMessages.Response r = (InferenceMessages.Response) answer;
    assertThat(r.version()).isEqualTo(1);
    float[] got = r.outputs().values().iterator().next().floats();
    float[] want = expected.floats();
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
    }
  }

  @Test
  void aDataClassTheGrantDoesNotCoverIsRefusedInsideTheEncryption() throws Exception {
    Object answer = infer("phi", input.named(inputName));
    assertThat(answer)
        .isEqualTo(
            new InferenceMessages.Refusal(
                "lease.data-class-not-granted",
                "model conv2d is not granted for data class 'phi'"));
  }

  @Test
  void aTensorThatDoesNotMatchTheManifestIsRefused() throws Exception {
    Object answer =
        infer("synthetic", Tensor.ofFloats(inputName, new long[] {1}, new float[] {1f}));
    assertThat(answer).isInstanceOf(InferenceMessages.Refusal.class);
    assertThat(((InferenceMessages.Refusal) answer).id()).isEqualTo("infer.tensor-mismatch");
  }

  @Test
  void plaintextOrAWrongMediaTypeIsAProblemNotAnAnswer() throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"conv2d\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(415);
    assertThat(res.headers().firstValue("Content-Type")).contains("application/problem+json");
  }
}
