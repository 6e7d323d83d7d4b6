// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.BoundedCache;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Intel's signed collateral JSON: {@code {"<body>": {...}, "signature": "<hex r||s>"}}, where the
 * signature covers the exact bytes of the body object as sent (Intel PCS API, "TCB info" and
 * "enclave identity"). The body's bytes are sliced from the input, never re-serialized.
 *
 * @param signedBytes the raw bytes of the body object
 * @param body the parsed body
 * @param signature the 64-byte raw r||s signature
 * @param digest SHA-256 of the whole collateral and the body field's name: what identifies this
 *     content in caches of what is derived from it alone (its parsed TCB info or QE identity)
 */
record SignedJson(byte[] signedBytes, JsonNode body, byte[] signature, String digest) {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

  /**
   * Parsed collateral by its bytes (the same TCB info and QE identity come with every quote until
   * Intel reissues them). The parsed body is only read, never modified.
   */
  private static final BoundedCache<SignedJson> PARSED = new BoundedCache<>(64);

  /**
   * @throws EvidenceException {@code <id>} when the JSON is malformed or lacks a field
   */
  static SignedJson parse(byte[] json, String bodyField, String id) throws EvidenceException {
    String key =
        BoundedCache.key(json, bodyField.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    SignedJson cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    SignedJson parsed = parseUncached(json, bodyField, id, key);
    PARSED.put(key, parsed);
    return parsed;
  }

  private static SignedJson parseUncached(byte[] json, String bodyField, String id, String digest)
      throws EvidenceException {
    byte[] raw = null;
    String signatureHex = null;
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new EvidenceException(id, "collateral is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (bodyField.equals(name) && t == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          raw = Arrays.copyOfRange(json, start, end);
        } else if ("signature".equals(name) && t == JsonToken.VALUE_STRING) {
          signatureHex = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new EvidenceException(id, "unexpected content after the collateral JSON object");
      }
    } catch (IOException e) {
      throw new EvidenceException(id, "collateral is not valid JSON");
    }
    if (raw == null || signatureHex == null) {
      throw new EvidenceException(
          id, "collateral lacks the '" + bodyField + "' object or the 'signature' string");
    }
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(signatureHex);
    } catch (IllegalArgumentException e) {
      throw new EvidenceException(id, "the collateral signature is not hex");
    }
    try {
      return new SignedJson(raw, JSON.readTree(raw), signature, digest);
    } catch (IOException e) {
      throw new EvidenceException(id, "the collateral body is not valid JSON");
    }
  }
}
