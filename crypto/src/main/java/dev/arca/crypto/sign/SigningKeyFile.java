// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.crypto.kek.KekClient;
import dev.arca.crypto.kek.KekException;
import dev.arca.crypto.kek.KeyEncryptionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A publisher signing key on disk: JSON {@code {"format":"arca.publisher-signing-key/v1", "keyId",
 * "algorithm", "kekUri", "keyset"}}, where {@code keyset} is the Tink keyset encrypted under the
 * named key-encryption key. The private key is never written in clear.
 */
public final class SigningKeyFile {
  /** The value of the {@code format} member. */
  public static final String FORMAT = "arca.publisher-signing-key/v1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SigningKeyFile() {}

  /**
   * Writes {@code key} encrypted under {@code kek}.
   *
   * @throws SignatureException {@code sign.bad-key} if the keyset cannot be encrypted
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, PublisherSigningKey key, KeyEncryptionKey kek)
      throws SignatureException, IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT);
    o.put("keyId", key.keyId());
    o.put("algorithm", key.algorithm().label());
    o.put("kekUri", kek.keyUri());
    o.put("keyset", key.toEncryptedJson(kek.asTinkAead()));
    Files.writeString(file, o.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Reads a key written by {@link #write}, decrypting it with the KEK found in {@code kekClient}.
   *
   * @throws SignatureException {@code sign.bad-key} for a malformed file or a keyset that does not
   *     decrypt
   * @throws KekException if the KEK cannot be found or loaded
   * @throws IOException if the file cannot be read
   */
  public static PublisherSigningKey read(Path file, KekClient kekClient)
      throws SignatureException, KekException, IOException {
    JsonNode o;
    try {
      o = JSON.readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SignatureException(SignatureException.BAD_KEY, "signing key file is not JSON");
    }
    if (o == null
        || !FORMAT.equals(o.path("format").asText())
        || !o.path("keyId").isTextual()
        || !o.path("algorithm").isTextual()
        || !o.path("kekUri").isTextual()
        || !o.path("keyset").isTextual()) {
      throw new SignatureException(
          SignatureException.BAD_KEY,
          "not an Arca signing key file (" + FORMAT + " with keyId, algorithm, kekUri, keyset)");
    }
    KeyEncryptionKey kek = kekClient.getKek(o.get("kekUri").asText());
    return PublisherSigningKey.fromEncryptedJson(
        o.get("keyId").asText(),
        SignatureAlgorithm.fromLabel(o.get("algorithm").asText()),
        o.get("keyset").asText(),
        kek.asTinkAead());
  }
}
