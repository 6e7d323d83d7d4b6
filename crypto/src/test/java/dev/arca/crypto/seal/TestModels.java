// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;

/** Test fixtures: a manifest for given bytes, and a sealed package. */
public final class TestModels {
  private TestModels() {}

  /** The real ONNX model shipped in the shared vectors, if present in test resources. */
  public static byte[] onnxOrRandom(int fallbackSize) throws IOException {
    try (InputStream in =
        TestModels.class.getResourceAsStream("/vectors/onnx/light_squeezenet.onnx")) {
      if (in != null) {
        return in.readAllBytes();
      }
    }
    byte[] b = new byte[fallbackSize];
    new Random(42).nextBytes(b);
    return b;
  }

  public static Manifest manifestFor(byte[] model, String keyId) throws Exception {
    return Manifest.builder()
        .modelId("fraud-detector")
        .version(7)
        .plaintextSha256(MessageDigest.getInstance("SHA-256").digest(model))
        .plaintextSize(model.length)
        .input(TensorSpec.of("features", "float32", 1, 30))
        .output(TensorSpec.of("score", "float32", 1, 1))
        .dataClass("pci")
        .dataClass("phi")
        .minRuntimeVersion("0.1.0")
        .createdAt(Instant.parse("2026-11-25T12:00:00Z"))
        .publisherKeyId(keyId)
        .build();
  }

  public static PublisherSigningKey signer(SignatureAlgorithm alg, String keyId) throws Exception {
    return PublisherSigningKey.generate(alg, keyId);
  }

  public static byte[] seal(Manifest m, PublisherSigningKey signer, DataKey key, byte[] model)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SealedModel.seal(m, signer, key, new ByteArrayInputStream(model), out);
    return out.toByteArray();
  }
}
