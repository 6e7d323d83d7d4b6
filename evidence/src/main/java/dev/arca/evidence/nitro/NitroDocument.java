// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.nitro;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The payload of an AWS Nitro Enclaves attestation document (AWS Nitro Enclaves User Guide,
 * "Attestation document specification"): a CBOR map with {@code module_id}, {@code digest} ({@code
 * SHA384}), {@code timestamp} (ms since the epoch), {@code pcrs} (index to 48-byte value), {@code
 * certificate} (DER leaf), {@code cabundle} (DER, root first) and optional {@code public_key},
 * {@code user_data}, {@code nonce} (each at most 1024 bytes or null). Immutable; the content is
 * only what the document claims until {@link NitroVerifier} checks it.
 */
// {@code cabundle} names the document's CBOR field, not the parameter caBundle.
@SuppressWarnings("InvalidParam")
record NitroDocument(
    String moduleId,
    String digest,
    long timestampMillis,
    Map<Integer, byte[]> pcrs,
    byte[] certificate,
    List<byte[]> caBundle,
    Optional<byte[]> publicKey,
    Optional<byte[]> userData,
    Optional<byte[]> nonce) {

  static final String MALFORMED = "nitro.document.malformed";
  private static final int MAX_PCRS = 32;
  private static final int MAX_OPTIONAL_BYTES = 1024;

  Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** Reads the payload map; every missing or mistyped field is {@code nitro.document.malformed}. */
  static NitroDocument parse(CborValue payload) throws EvidenceException {
    try {
      if (!(payload instanceof CborValue.MapValue)) {
        throw malformed("the document payload is not a map");
      }
      String moduleId = required(payload, "module_id").asText();
      String digest = required(payload, "digest").asText();
      if (!"SHA384".equals(digest)) {
        throw malformed("digest is '" + digest + "'; Nitro documents use SHA384");
      }
      long timestamp = required(payload, "timestamp").asLong();
      if (timestamp < 0) {
        throw malformed("timestamp is negative");
      }
      Map<Integer, byte[]> pcrs = new TreeMap<>();
      for (Map.Entry<CborValue, CborValue> e : required(payload, "pcrs").asMap().entrySet()) {
        long index = e.getKey().asLong();
        if (index < 0 || index >= MAX_PCRS) {
          throw malformed("PCR index " + index + " is outside 0.." + (MAX_PCRS - 1));
        }
        byte[] value = e.getValue().asBytes();
        if (value.length != 48) {
          throw malformed("PCR" + index + " has " + value.length + " bytes; SHA384 has 48");
        }
        pcrs.put((int) index, value);
      }
      if (pcrs.isEmpty()) {
        throw malformed("the document has no PCRs");
      }
      byte[] certificate = required(payload, "certificate").asBytes();
      List<byte[]> bundle = new ArrayList<>();
      for (CborValue c : required(payload, "cabundle").asArray()) {
        bundle.add(c.asBytes());
      }
      if (bundle.isEmpty()) {
        throw malformed("cabundle is empty; it must start with the AWS Nitro root");
      }
      return new NitroDocument(
          moduleId,
          digest,
          timestamp,
          Collections.unmodifiableMap(pcrs),
          certificate,
          List.copyOf(bundle),
          optionalBytes(payload, "public_key"),
          optionalBytes(payload, "user_data"),
          optionalBytes(payload, "nonce"));
    } catch (CborException e) {
      throw malformed("a field has the wrong type: " + e.getMessage());
    }
  }

  private static CborValue required(CborValue map, String key)
      throws CborException, EvidenceException {
    return map.get(key).orElseThrow(() -> malformed("the document has no '" + key + "'"));
  }

  private static Optional<byte[]> optionalBytes(CborValue map, String key)
      throws CborException, EvidenceException {
    Optional<CborValue> v = map.get(key);
    if (v.isEmpty() || v.get().equals(CborValue.Simple.NULL)) {
      return Optional.empty();
    }
    byte[] b = v.get().asBytes();
    if (b.length > MAX_OPTIONAL_BYTES) {
      throw malformed(key + " has " + b.length + " bytes; at most " + MAX_OPTIONAL_BYTES);
    }
    return Optional.of(b);
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException(MALFORMED, message);
  }
}
