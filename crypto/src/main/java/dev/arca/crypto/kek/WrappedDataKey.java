// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.Secrets;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.SealException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A model's data key as the key service stores it: encrypted under a {@link KeyEncryptionKey}, with
 * the KEK's URI. Public data. The associated data should bind the model (e.g. model id, version and
 * manifest digest) so a wrapped key cannot be moved to another model's record.
 */
public final class WrappedDataKey {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final String kekUri;
  private final byte[] ciphertext;

  private WrappedDataKey(String kekUri, byte[] ciphertext) {
    this.kekUri = kekUri;
    this.ciphertext = ciphertext;
  }

  /** A stored value: KEK URI and ciphertext as written by {@link #wrap}. */
  public static WrappedDataKey of(String kekUri, byte[] ciphertext) {
    return new WrappedDataKey(Objects.requireNonNull(kekUri), ciphertext.clone());
  }

  /**
   * Wraps {@code dataKey} under {@code kek}.
   *
   * @throws KekException if the KEK fails
   * @throws SealException {@code seal.wrong-data-key} if the data key was destroyed
   */
  public static WrappedDataKey wrap(DataKey dataKey, KeyEncryptionKey kek, byte[] associatedData)
      throws KekException, SealException {
    byte[] raw = dataKey.bytes(InsecureSecretKeyAccess.get());
    try {
      return new WrappedDataKey(kek.keyUri(), kek.encrypt(raw, associatedData));
    } finally {
      Secrets.wipe(raw);
    }
  }

  /**
   * Unwraps with {@code kek} (which must have this value's URI).
   *
   * @throws KekException {@code kek.unknown-uri} for a KEK of another URI, {@code
   *     kek.decrypt-failed} for a wrong key, associated data, or tampering
   * @throws SealException {@code seal.wrong-data-key} if the plaintext is not a data key
   */
  public DataKey unwrap(KeyEncryptionKey kek, byte[] associatedData)
      throws KekException, SealException {
    if (!kekUri.equals(kek.keyUri())) {
      throw new KekException(
          KekException.UNKNOWN_URI, "wrapped under " + kekUri + ", not " + kek.keyUri());
    }
    byte[] raw = kek.decrypt(ciphertext, associatedData);
    try {
      return DataKey.fromBytes(raw, InsecureSecretKeyAccess.get());
    } finally {
      Secrets.wipe(raw);
    }
  }

  /** Unwraps by looking the KEK up in {@code client}. */
  public DataKey unwrap(KekClient client, byte[] associatedData)
      throws KekException, SealException {
    return unwrap(client.getKek(kekUri), associatedData);
  }

  public String kekUri() {
    return kekUri;
  }

  /** The ciphertext (a copy). */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** Convenience associated data for a model's data key: model id, version, manifest digest. */
  public static byte[] modelBinding(String modelId, long version, byte[] manifestDigest) {
    return ("arca/data-key/v1\0"
            + modelId
            + "\0"
            + version
            + "\0"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(manifestDigest))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** JSON form for storage: {@code {"kekUri": ..., "ciphertext": base64url}}. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("kekUri", kekUri);
    o.put("ciphertext", Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext));
    return o.toString();
  }

  /**
   * Parses {@link #toJson} output.
   *
   * @throws KekException {@code kek.decrypt-failed} if it is not a wrapped data key
   */
  public static WrappedDataKey fromJson(String json) throws KekException {
    try {
      JsonNode o = JSON.readTree(json);
      if (o == null
          || !o.isObject()
          || o.size() != 2
          || !o.path("kekUri").isTextual()
          || !o.path("ciphertext").isTextual()) {
        throw new IllegalArgumentException("members");
      }
      return new WrappedDataKey(
          o.get("kekUri").asText(), Base64.getUrlDecoder().decode(o.get("ciphertext").asText()));
    } catch (IOException | IllegalArgumentException e) {
      throw new KekException(
          KekException.DECRYPT_FAILED,
          "not a wrapped data key ({\"kekUri\": ..., \"ciphertext\": base64url})");
    }
  }

  @Override
  public String toString() {
    return "WrappedDataKey[" + kekUri + ", " + ciphertext.length + " bytes]";
  }
}
