// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.PlaintextDigest;
import dev.arca.crypto.seal.SealedModel;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real sealed packages for service tests: one publisher key per test run (trusted through {@code
 * /v1/publisher-keys} on first use), sealing with the crypto module, publishing through the API.
 */
public final class TestModels {
  public static final String PUBLISHER = "service-test-publisher";
  private static PublisherSigningKey signer;
  private static boolean trusted;

  private TestModels() {}

  /** A sealed package and the data key it was sealed with. */
  public record Sealed(byte[] pkg, DataKey dataKey, Manifest manifest) {
    /** The data key as the {@code Arca-Data-Key} header value. */
    public String dataKeyHeader() {
      try {
        return Base64.getEncoder().encodeToString(dataKey.bytes(InsecureSecretKeyAccess.get()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Hex SHA-256 of the manifest, as the service reports it. */
    public String manifestDigest() {
      return java.util.HexFormat.of().formatHex(manifest.digest());
    }
  }

  /** The test publisher's signing key. */
  public static synchronized PublisherSigningKey signer() {
    if (signer == null) {
      try {
        signer = PublisherSigningKey.generate(SignatureAlgorithm.ED25519, PUBLISHER);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return signer;
  }

  /** Seals {@code size} pseudo-random bytes as {@code modelId@version}. */
  public static Sealed seal(String modelId, long version, List<String> dataClasses, int size) {
    byte[] model = new byte[size];
    new Random(modelId.hashCode() * 31L + version).nextBytes(model);
    return seal(signer(), modelId, version, dataClasses, model);
  }

  /**
   * Seals {@code size} pseudo-random bytes as {@code modelId@version} with the publisher's labels.
   */
  public static Sealed seal(
      String modelId, long version, List<String> classes, Map<String, String> labels, int size) {
    byte[] model = new byte[size];
    new Random(modelId.hashCode() * 31L + version).nextBytes(model);
    return seal(
        signer(),
        modelId,
        version,
        classes,
        labels,
        model,
        TensorSpec.of("x", "float32", 1, 4),
        TensorSpec.of("y", "float32", 1, 1));
  }

  /** Seals {@code model} with {@code by}. */
  public static Sealed seal(
      PublisherSigningKey by, String modelId, long version, List<String> classes, byte[] model) {
    return seal(
        by,
        modelId,
        version,
        classes,
        Map.of(),
        model,
        TensorSpec.of("x", "float32", 1, 4),
        TensorSpec.of("y", "float32", 1, 1));
  }

  /** Seals a real model with its input and output signature, as the test publisher. */
  public static Sealed seal(
      String modelId,
      long version,
      List<String> classes,
      byte[] model,
      TensorSpec input,
      TensorSpec output) {
    return seal(signer(), modelId, version, classes, Map.of(), model, input, output);
  }

  private static Sealed seal(
      PublisherSigningKey by,
      String modelId,
      long version,
      List<String> classes,
      Map<String, String> labels,
      byte[] model,
      TensorSpec input,
      TensorSpec output) {
    try {
      PlaintextDigest d = PlaintextDigest.of(new ByteArrayInputStream(model));
      Manifest.Builder m =
          Manifest.builder()
              .modelId(modelId)
              .version(version)
              .plaintextSha256(d.sha256())
              .plaintextSize(d.size())
              .input(input)
              .output(output)
              .minRuntimeVersion("0.1.0")
              .createdAt(Instant.parse("2026-11-26T00:00:00Z"))
              .publisherKeyId(by.keyId());
      classes.forEach(m::dataClass);
      labels.forEach(m::label);
      Manifest manifest = m.build();
      DataKey key = DataKey.generate();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SealedModel.seal(manifest, by, key, new ByteArrayInputStream(model), out);
      return new Sealed(out.toByteArray(), key, manifest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trusts the test publisher's key in the service (once per run). */
  public static synchronized void trustPublisher() {
    if (trusted) {
      return;
    }
    int status = trust(signer()).extract().statusCode();
    if (status != 201 && status != 409) {
      throw new IllegalStateException("trusting the test publisher answered " + status);
    }
    trusted = true;
  }

  /** Asks the service, as {@code policy-admin}, to trust {@code key}'s public key. */
  public static ValidatableResponse trust(PublisherSigningKey key) {
    return Api.as("policy-admin")
        .contentType("application/json")
        .body(
            Map.of(
                "keyId",
                key.keyId(),
                "algorithm",
                key.algorithm().label(),
                "publicKey",
                Base64.getUrlEncoder().withoutPadding().encodeToString(key.publicKey().encoded())))
        .post("/v1/publisher-keys")
        .then();
  }

  /**
   * A device-flow test's set-up: the test policy active and a 1 KiB model {@code modelId} v1 for
   * synthetic data published.
   */
  public static void activatePolicyAndPublish(String modelId) {
    TestPolicy.activate();
    publish(seal(modelId, 1, List.of("synthetic"), 1024)).then().statusCode(201);
  }

  /** Publishes {@code sealed} as {@code model-publisher}; the caller checks the response. */
  public static Response publish(Sealed sealed) {
    trustPublisher();
    return uploadRequest(sealed.manifest().modelId(), sealed.dataKeyHeader(), sealed.pkg());
  }

  /**
   * Uploads {@code pkg} as {@code model-publisher} to the model id {@code rawId}, sent as written
   * (no URL encoding, so tests can send dot segments and encoded slashes).
   */
  public static ValidatableResponse upload(String rawId, String dataKeyHeader, byte[] pkg) {
    return uploadRequest(rawId, dataKeyHeader, pkg).then();
  }

  private static Response uploadRequest(String rawId, String dataKeyHeader, byte[] pkg) {
    return Api.as("model-publisher")
        .urlEncodingEnabled(false)
        .contentType("application/octet-stream")
        .header("Arca-Data-Key", dataKeyHeader)
        .body(pkg)
        .post("/v1/models/" + rawId + "/versions");
  }
}
