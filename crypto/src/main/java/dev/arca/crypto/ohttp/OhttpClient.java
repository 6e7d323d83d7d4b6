// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import dev.arca.crypto.Secrets;
import dev.arca.crypto.hpke.AeadCipher;
import dev.arca.crypto.hpke.Hpke;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeContext;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeSuite;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The client side of Oblivious HTTP (RFC 9458 section 4.3 and 4.4): encapsulates a request to a
 * gateway's {@link KeyConfig} and decapsulates the matching response. A {@link Request} is good for
 * exactly one response.
 */
public final class OhttpClient {
  static final byte[] REQUEST_LABEL = "message/bhttp request".getBytes(StandardCharsets.US_ASCII);

  private OhttpClient() {}

  /** An encapsulated request and the state needed to open its response. */
  public static final class Request {
    private final byte[] encapsulated;
    private final byte[] enc;
    private final HpkeContext context;
    private final HpkeKdf kdf;
    private final HpkeAead aead;
    private boolean used;

    Request(byte[] encapsulated, byte[] enc, HpkeContext context, HpkeKdf kdf, HpkeAead aead) {
      this.encapsulated = encapsulated;
      this.enc = enc;
      this.context = context;
      this.kdf = kdf;
      this.aead = aead;
    }

    /** The body to send with content type {@link MediaTypes#REQUEST} (a copy). */
    public byte[] encapsulated() {
      return encapsulated.clone();
    }

    /**
     * Decapsulates the gateway's response (RFC 9458 section 4.4) after checking its content type.
     *
     * @throws OhttpException {@code ohttp.bad-media-type}, {@code ohttp.bad-response}, {@code
     *     ohttp.response-decrypt-failed}
     */
    public byte[] decapsulateResponse(String contentType, byte[] encapsulatedResponse)
        throws OhttpException {
      MediaTypes.require(MediaTypes.RESPONSE, contentType);
      return decapsulateResponse(encapsulatedResponse);
    }

    /** As {@link #decapsulateResponse(String, byte[])} without the content-type check. */
    public byte[] decapsulateResponse(byte[] encapsulatedResponse) throws OhttpException {
      if (used) {
        throw new IllegalStateException("a request's response can be opened once");
      }
      int nonceLen = ResponseCrypto.nonceLength(aead);
      if (encapsulatedResponse == null
          || encapsulatedResponse.length < nonceLen + aead.tagLength()) {
        throw new OhttpException(OhttpException.BAD_RESPONSE, "encapsulated response is too short");
      }
      used = true;
      byte[] secret = null;
      byte[][] keys = null;
      try {
        secret = context.export(ResponseCrypto.RESPONSE_LABEL, nonceLen);
        byte[] nonce = Arrays.copyOfRange(encapsulatedResponse, 0, nonceLen);
        keys = ResponseCrypto.keys(kdf, aead, secret, enc, nonce);
        return AeadCipher.open(
            aead,
            keys[0],
            keys[1],
            new byte[0],
            Arrays.copyOfRange(encapsulatedResponse, nonceLen, encapsulatedResponse.length));
      } catch (HpkeException e) {
        throw new OhttpException(
            OhttpException.RESPONSE_DECRYPT_FAILED,
            "the response does not authenticate for this request (tampered or not the gateway's)");
      } finally {
        Secrets.wipe(secret);
        if (keys != null) {
          Secrets.wipe(keys[0]);
          Secrets.wipe(keys[1]);
        }
        context.destroy();
      }
    }
  }

  /** Encapsulates with the configuration's first supported (KDF, AEAD) pair. */
  public static Request encapsulateRequest(KeyConfig config, byte[] request, SecureRandom random)
      throws OhttpException {
    KeyConfig.SymmetricAlgorithm alg = config.preferredAlgorithm();
    try {
      return encapsulateRequest(
          config, HpkeKdf.fromId(alg.kdfId()), HpkeAead.fromId(alg.aeadId()), request, random);
    } catch (HpkeException e) {
      throw new IllegalStateException("preferred algorithm must be supported", e);
    }
  }

  /**
   * Encapsulates {@code request} (normally a Binary HTTP message) to the gateway, RFC 9458 section
   * 4.3.
   *
   * @throws OhttpException {@code ohttp.unsupported-algorithm} if the pair is not in the config
   */
  public static Request encapsulateRequest(
      KeyConfig config, HpkeKdf kdf, HpkeAead aead, byte[] request, SecureRandom random)
      throws OhttpException {
    Objects.requireNonNull(request, "request");
    if (!config.algorithms().contains(KeyConfig.SymmetricAlgorithm.of(kdf, aead))
        || aead == HpkeAead.EXPORT_ONLY) {
      throw new OhttpException(
          OhttpException.UNSUPPORTED_ALGORITHM,
          "key config " + config.keyId() + " does not offer " + kdf + "/" + aead);
    }
    byte[] hdr = header(config.keyId(), config.kem().id(), kdf.id(), aead.id());
    byte[] info = info(hdr);
    try {
      Hpke.Sender s =
          Hpke.of(HpkeSuite.of(config.kem(), kdf, aead))
              .setupBaseSender(config.publicKey(), info, random);
      byte[] ct = s.context().seal(new byte[0], request);
      byte[] enc = s.enc();
      byte[] out =
          ByteBuffer.allocate(hdr.length + enc.length + ct.length)
              .put(hdr)
              .put(enc)
              .put(ct)
              .array();
      return new Request(out, enc, s.context(), kdf, aead);
    } catch (HpkeException e) {
      throw new OhttpException(
          OhttpException.BAD_KEY_CONFIG, "cannot encapsulate to this key config: " + e.id(), e);
    }
  }

  static byte[] header(int keyId, int kemId, int kdfId, int aeadId) {
    return ByteBuffer.allocate(7)
        .put((byte) keyId)
        .putShort((short) kemId)
        .putShort((short) kdfId)
        .putShort((short) aeadId)
        .array();
  }

  static byte[] info(byte[] hdr) {
    byte[] info = new byte[REQUEST_LABEL.length + 1 + hdr.length];
    System.arraycopy(REQUEST_LABEL, 0, info, 0, REQUEST_LABEL.length);
    System.arraycopy(hdr, 0, info, REQUEST_LABEL.length + 1, hdr.length);
    return info;
  }
}
