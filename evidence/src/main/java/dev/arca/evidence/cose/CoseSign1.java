// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;
import java.io.ByteArrayOutputStream;
import java.security.PublicKey;
import java.util.List;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A COSE_Sign1 message (RFC 9052 section 4.2), tagged (18) or untagged, with an attached payload.
 * Immutable.
 *
 * <p>{@link #decode} checks only the structure: four items, protected header a byte string holding
 * a map (or empty), unprotected header a map, payload a byte string, signature a byte string; the
 * protected header must name an accepted {@link CoseAlgorithm} and carry no {@code crit} (label 2)
 * parameters, since Arca understands none. {@link #verify} checks the signature over the {@code
 * Sig_structure} {@code ["Signature1", protected, h'', payload]} (section 4.4) on Bouncy Castle's
 * lightweight API, with the key decoded once per distinct key ({@link EcdsaRaw}).
 */
public final class CoseSign1 {
  /** The CBOR tag of a COSE_Sign1 message. */
  public static final long TAG = 18;

  private static final long HEADER_ALG = 1;
  private static final long HEADER_CRIT = 2;

  private final byte[] protectedBytes;
  private final CborValue protectedHeader;
  private final CborValue unprotectedHeader;
  private final byte[] payload;
  private final byte[] signature;
  private final CoseAlgorithm algorithm;
  private final boolean tagged;

  private CoseSign1(
      byte[] protectedBytes,
      CborValue protectedHeader,
      CborValue unprotectedHeader,
      byte[] payload,
      byte[] signature,
      CoseAlgorithm algorithm,
      boolean tagged) {
    this.protectedBytes = protectedBytes;
    this.protectedHeader = protectedHeader;
    this.unprotectedHeader = unprotectedHeader;
    this.payload = payload;
    this.signature = signature;
    this.algorithm = algorithm;
    this.tagged = tagged;
  }

  /**
   * Decodes a COSE_Sign1 message.
   *
   * @throws CborException when the bytes are not well-formed CBOR (truncated, over-long length ...)
   * @throws CoseException {@link CoseException.Reason#MALFORMED} or {@link
   *     CoseException.Reason#UNSUPPORTED_ALGORITHM}
   */
  public static CoseSign1 decode(byte[] bytes, CborDecoder decoder)
      throws CborException, CoseException {
    return fromValue(decoder.decode(bytes), decoder);
  }

  /** Reads a COSE_Sign1 message from an already decoded item. */
  public static CoseSign1 fromValue(CborValue value, CborDecoder decoder)
      throws CborException, CoseException {
    boolean tagged = false;
    if (value instanceof CborValue.Tag t) {
      if (t.tag() != TAG) {
        throw malformed("a COSE_Sign1 message has tag 18, not " + Long.toUnsignedString(t.tag()));
      }
      tagged = true;
      value = t.content();
    }
    if (!(value instanceof CborValue.Array a) || a.items().size() != 4) {
      throw malformed("a COSE_Sign1 message is an array of 4 items");
    }
    List<CborValue> items = a.items();
    byte[] protectedBytes = bytes(items.get(0), "protected header");
    CborValue protectedHeader =
        protectedBytes.length == 0
            ? new CborValue.MapValue(java.util.Map.of())
            : decoder.decode(protectedBytes);
    if (!(protectedHeader instanceof CborValue.MapValue)) {
      throw malformed("the protected header is not a map");
    }
    if (!(items.get(1) instanceof CborValue.MapValue)) {
      throw malformed("the unprotected header is not a map");
    }
    if (items.get(2) instanceof CborValue.Simple) {
      throw malformed("detached payloads are not accepted: the token must carry its payload");
    }
    byte[] payload = bytes(items.get(2), "payload");
    byte[] signature = bytes(items.get(3), "signature");
    if (protectedHeader.get(HEADER_CRIT).isPresent()) {
      throw malformed("the protected header has critical parameters Arca does not understand");
    }
    CborValue alg =
        protectedHeader
            .get(HEADER_ALG)
            .orElseThrow(
                () ->
                    new CoseException(
                        CoseException.Reason.UNSUPPORTED_ALGORITHM,
                        "the protected header names no algorithm"));
    if (!(alg instanceof CborValue.Int algId)) {
      throw new CoseException(
          CoseException.Reason.UNSUPPORTED_ALGORITHM, "the algorithm is not an integer");
    }
    CoseAlgorithm algorithm =
        CoseAlgorithm.byId(algId.value().longValue())
            .filter(x -> algId.value().bitLength() < 32)
            .orElseThrow(
                () ->
                    new CoseException(
                        CoseException.Reason.UNSUPPORTED_ALGORITHM,
                        "COSE algorithm "
                            + algId.value()
                            + " is not accepted (ES256, ES384 or ES512)"));
    return new CoseSign1(
        protectedBytes, protectedHeader, items.get(1), payload, signature, algorithm, tagged);
  }

  /**
   * Verifies the signature with {@code key}.
   *
   * @throws CoseException {@link CoseException.Reason#KEY_MISMATCH} when the key is not on the
   *     algorithm's curve, {@link CoseException.Reason#SIGNATURE_INVALID} when it does not verify
   */
  public void verify(PublicKey key) throws CoseException {
    algorithm.checkKey(key);
    int n = algorithm.coordinateBytes();
    if (signature.length != 2 * n) {
      throw new CoseException(
          CoseException.Reason.SIGNATURE_INVALID,
          "an " + algorithm + " signature has " + 2 * n + " bytes, not " + signature.length);
    }
    ECPublicKeyParameters k = EcdsaRaw.key(key, algorithm);
    if (!EcdsaRaw.verify(k, algorithm, sigStructure(), signature)) {
      throw new CoseException(
          CoseException.Reason.SIGNATURE_INVALID,
          "the " + algorithm + " signature does not verify with the given key");
    }
  }

  /**
   * The bytes that were signed: {@code ["Signature1", protected, external_aad = h'', payload]} in
   * deterministic encoding (RFC 9052 section 4.4).
   */
  public byte[] sigStructure() {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(payload.length + protectedBytes.length + 32);
    CborEncoder.head(out, 4, 4);
    CborEncoder.text(out, "Signature1");
    CborEncoder.bytes(out, protectedBytes);
    CborEncoder.bytes(out, new byte[0]);
    CborEncoder.bytes(out, payload);
    return out.toByteArray();
  }

  /** The signature algorithm from the protected header. */
  public CoseAlgorithm algorithm() {
    return algorithm;
  }

  /** True when the message carried CBOR tag 18. */
  public boolean tagged() {
    return tagged;
  }

  /** A copy of the payload bytes (what the token claims; trust them only after verify). */
  public byte[] payload() {
    return payload.clone();
  }

  /** A copy of the raw signature. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The decoded protected header map. */
  public CborValue protectedHeader() {
    return protectedHeader;
  }

  /** The unprotected header map (not covered by the signature). */
  public CborValue unprotectedHeader() {
    return unprotectedHeader;
  }

  private static byte[] bytes(CborValue v, String what) throws CoseException {
    if (!(v instanceof CborValue.Bytes b)) {
      throw malformed("the COSE_Sign1 " + what + " is not a byte string");
    }
    return b.value();
  }

  private static CoseException malformed(String message) {
    return new CoseException(CoseException.Reason.MALFORMED, message);
  }
}
