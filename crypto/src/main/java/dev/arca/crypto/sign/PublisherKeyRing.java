// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The publisher public keys a verifier trusts, by key id. Immutable; rotation produces a new ring
 * ({@link #with}, {@link #without}). A key id names exactly one key for ever: {@link #with} refuses
 * to rebind an id to a different key.
 *
 * <p>JSON form ({@link #toJson}/{@link #fromJson}): {@code {"keys":[{"keyId":..,
 * "algorithm":"ecdsa-p256-sha256"|"ed25519","publicKey":base64url}]}}.
 */
public final class PublisherKeyRing {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Map<String, PublisherPublicKey> keys;

  private PublisherKeyRing(Map<String, PublisherPublicKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /** A ring with no keys (verifies nothing). */
  public static PublisherKeyRing empty() {
    return new PublisherKeyRing(new LinkedHashMap<>());
  }

  /** A ring holding {@code keys}; throws {@code sign.bad-key-ring} on a duplicate id. */
  public static PublisherKeyRing of(PublisherPublicKey... keys) throws SignatureException {
    PublisherKeyRing ring = empty();
    for (PublisherPublicKey k : keys) {
      ring = ring.with(k);
    }
    return ring;
  }

  /**
   * This ring plus {@code key}.
   *
   * @throws SignatureException {@code sign.bad-key-ring} if the id is already bound to a different
   *     key
   */
  public PublisherKeyRing with(PublisherPublicKey key) throws SignatureException {
    PublisherPublicKey existing = keys.get(key.keyId());
    if (existing != null && !existing.equals(key)) {
      throw new SignatureException(
          SignatureException.BAD_KEY_RING,
          "key id '" + key.keyId() + "' is already bound to a different key; use a new key id");
    }
    Map<String, PublisherPublicKey> copy = new LinkedHashMap<>(keys);
    copy.put(key.keyId(), key);
    return new PublisherKeyRing(copy);
  }

  /** This ring without the key {@code keyId} (retired after rotation). */
  public PublisherKeyRing without(String keyId) {
    Map<String, PublisherPublicKey> copy = new LinkedHashMap<>(keys);
    copy.remove(keyId);
    return new PublisherKeyRing(copy);
  }

  /**
   * The key named {@code keyId}.
   *
   * @throws SignatureException {@code sign.unknown-key} if the ring has no such key
   */
  public PublisherPublicKey require(String keyId) throws SignatureException {
    PublisherPublicKey key = keyId == null ? null : keys.get(keyId);
    if (key == null) {
      throw new SignatureException(
          SignatureException.UNKNOWN_KEY,
          "no trusted publisher key with id '"
              + (keyId == null ? "" : keyId.substring(0, Math.min(keyId.length(), 128)))
              + "'; add the publisher's public key to the key ring");
    }
    return key;
  }

  public Collection<PublisherPublicKey> keys() {
    return keys.values();
  }

  /** The ring as JSON (public data only). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("keys");
    for (PublisherPublicKey k : keys.values()) {
      ObjectNode o = arr.addObject();
      o.put("keyId", k.keyId());
      o.put("algorithm", k.algorithm().label());
      o.put("publicKey", Base64.getUrlEncoder().withoutPadding().encodeToString(k.encoded()));
    }
    return root.toString();
  }

  /**
   * Parses {@link #toJson} output.
   *
   * @throws SignatureException {@code sign.bad-key-ring} or {@code sign.bad-key}
   */
  public static PublisherKeyRing fromJson(String json) throws SignatureException {
    JsonNode root;
    try {
      root = JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SignatureException(SignatureException.BAD_KEY_RING, "key ring is not valid JSON");
    }
    if (root == null || !root.isObject() || !root.path("keys").isArray() || root.size() != 1) {
      throw new SignatureException(
          SignatureException.BAD_KEY_RING, "key ring must be {\"keys\": [...]}");
    }
    PublisherKeyRing ring = empty();
    for (Iterator<JsonNode> it = root.get("keys").elements(); it.hasNext(); ) {
      JsonNode k = it.next();
      if (!k.isObject()
          || k.size() != 3
          || !k.path("keyId").isTextual()
          || !k.path("algorithm").isTextual()
          || !k.path("publicKey").isTextual()) {
        throw new SignatureException(
            SignatureException.BAD_KEY_RING,
            "each key needs exactly keyId, algorithm and publicKey strings");
      }
      byte[] encoded;
      try {
        encoded = Base64.getUrlDecoder().decode(k.get("publicKey").asText());
      } catch (IllegalArgumentException e) {
        throw new SignatureException(SignatureException.BAD_KEY_RING, "publicKey is not base64url");
      }
      String id = k.get("keyId").asText();
      if (ring.keys.containsKey(id)) {
        throw new SignatureException(
            SignatureException.BAD_KEY_RING, "key id '" + id + "' appears twice");
      }
      ring =
          ring.with(
              PublisherPublicKey.of(
                  id, SignatureAlgorithm.fromLabel(k.get("algorithm").asText()), encoded));
    }
    return ring;
  }

  @Override
  public String toString() {
    return "PublisherKeyRing" + keys.keySet();
  }
}
