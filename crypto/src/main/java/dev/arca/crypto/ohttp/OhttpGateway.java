// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import dev.arca.crypto.Secrets;
import dev.arca.crypto.hpke.AeadCipher;
import dev.arca.crypto.hpke.Hpke;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeContext;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.hpke.HpkeSuite;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The gateway side of Oblivious HTTP (RFC 9458 section 4.3 and 4.4): holds one private key per key
 * id (several during rotation), decapsulates requests and encapsulates their responses. The runtime
 * is Arca's gateway: its attested HPKE key is the key config's key. Thread-safe.
 */
public final class OhttpGateway {
  private final Map<Integer, Entry> keys = new TreeMap<>(); // stable order for keyConfigs()

  private static final class Entry {
    final KeyConfig config;
    final HpkePrivateKey privateKey;

    Entry(KeyConfig config, HpkePrivateKey privateKey) {
      this.config = config;
      this.privateKey = privateKey;
    }
  }

  private OhttpGateway() {}

  /**
   * A gateway for one key configuration and its private key.
   *
   * @throws IllegalArgumentException if the private key does not match the config's public key
   */
  public static OhttpGateway of(KeyConfig config, HpkePrivateKey privateKey) {
    return of(List.of(config), List.of(privateKey));
  }

  /** A gateway for several key configurations (distinct key ids), pairwise with their keys. */
  public static OhttpGateway of(List<KeyConfig> configs, List<HpkePrivateKey> privateKeys) {
    if (configs.size() != privateKeys.size() || configs.isEmpty()) {
      throw new IllegalArgumentException("one private key per key config");
    }
    OhttpGateway g = new OhttpGateway();
    for (int i = 0; i < configs.size(); i++) {
      KeyConfig c = configs.get(i);
      HpkePrivateKey k = privateKeys.get(i);
      if (!k.publicKey().equals(c.publicKey())) {
        throw new IllegalArgumentException("private key does not match key config " + c.keyId());
      }
      if (g.keys.put(c.keyId(), new Entry(c, k)) != null) {
        throw new IllegalArgumentException("duplicate key id " + c.keyId());
      }
    }
    return g;
  }

  /** The gateway's configurations as {@code application/ohttp-keys}. */
  public byte[] keyConfigs() {
    return KeyConfig.encodeList(keys.values().stream().map(e -> e.config).toList());
  }

  /** A decapsulated request and the state to encapsulate its one response. */
  public static final class Request {
    private final byte[] message;
    private final byte[] enc;
    private final HpkeContext context;
    private final HpkeKdf kdf;
    private final HpkeAead aead;
    private final int keyId;
    private boolean responded;

    Request(
        byte[] message, byte[] enc, HpkeContext context, HpkeKdf kdf, HpkeAead aead, int keyId) {
      this.message = message;
      this.enc = enc;
      this.context = context;
      this.kdf = kdf;
      this.aead = aead;
      this.keyId = keyId;
    }

    /** The decrypted request (normally Binary HTTP); a copy. */
    public byte[] message() {
      return message.clone();
    }

    /** The key id the client used. */
    public int keyId() {
      return keyId;
    }

    /**
     * Encapsulates the response to this request (send with content type {@link
     * MediaTypes#RESPONSE}); once only.
     */
    public byte[] encapsulateResponse(byte[] response, SecureRandom random) {
      if (responded) {
        throw new IllegalStateException("a request gets exactly one response");
      }
      responded = true;
      int nonceLen = ResponseCrypto.nonceLength(aead);
      byte[] nonce = new byte[nonceLen];
      random.nextBytes(nonce);
      byte[] secret = null;
      byte[][] k = null;
      try {
        secret = context.export(ResponseCrypto.RESPONSE_LABEL, nonceLen);
        k = ResponseCrypto.keys(kdf, aead, secret, enc, nonce);
        byte[] ct = AeadCipher.seal(aead, k[0], k[1], new byte[0], response);
        return ByteBuffer.allocate(nonceLen + ct.length).put(nonce).put(ct).array();
      } catch (HpkeException e) {
        throw new IllegalStateException("response encryption failed", e);
      } finally {
        Secrets.wipe(secret);
        if (k != null) {
          Secrets.wipe(k[0]);
          Secrets.wipe(k[1]);
        }
        context.destroy();
      }
    }

    /** Wipes the decrypted request copy kept here. */
    public void wipe() {
      Secrets.wipe(message);
    }
  }

  /**
   * Checks the content type, then decapsulates.
   *
   * @throws OhttpException {@code ohttp.bad-media-type} and all of {@link
   *     #decapsulateRequest(byte[])}
   */
  public Request decapsulateRequest(String contentType, byte[] encapsulated) throws OhttpException {
    MediaTypes.require(MediaTypes.REQUEST, contentType);
    return decapsulateRequest(encapsulated);
  }

  /**
   * Decapsulates an encapsulated request, RFC 9458 section 4.3.
   *
   * @throws OhttpException {@code ohttp.bad-request} (too short), {@code ohttp.unknown-key-id},
   *     {@code ohttp.unsupported-algorithm}, {@code ohttp.bad-encapsulation}, {@code
   *     ohttp.request-decrypt-failed}
   */
  public Request decapsulateRequest(byte[] encapsulated) throws OhttpException {
    Objects.requireNonNull(encapsulated, "encapsulated");
    if (encapsulated.length < 7) {
      throw new OhttpException(OhttpException.BAD_REQUEST, "encapsulated request is too short");
    }
    ByteBuffer b = ByteBuffer.wrap(encapsulated);
    int keyId = b.get() & 0xff;
    int kemId = b.getShort() & 0xffff;
    int kdfId = b.getShort() & 0xffff;
    int aeadId = b.getShort() & 0xffff;
    Entry entry = keys.get(keyId);
    if (entry == null) {
      throw new OhttpException(
          OhttpException.UNKNOWN_KEY_ID,
          "no gateway key with id " + keyId + "; fetch the current key configuration");
    }
    HpkeKdf kdf;
    HpkeAead aead;
    try {
      if (kemId != entry.config.kem().id()) {
        throw new HpkeException(HpkeException.UNSUPPORTED_SUITE, "kem");
      }
      kdf = HpkeKdf.fromId(kdfId);
      aead = HpkeAead.fromId(aeadId);
      if (!entry.config.algorithms().contains(KeyConfig.SymmetricAlgorithm.of(kdf, aead))
          || aead == HpkeAead.EXPORT_ONLY) {
        throw new HpkeException(HpkeException.UNSUPPORTED_SUITE, "pair");
      }
    } catch (HpkeException e) {
      throw new OhttpException(
          OhttpException.UNSUPPORTED_ALGORITHM,
          String.format(
              "key %d does not accept KEM 0x%04x / KDF 0x%04x / AEAD 0x%04x",
              keyId, kemId, kdfId, aeadId));
    }
    int nEnc = entry.config.kem().encLength();
    if (b.remaining() < nEnc + aead.tagLength()) {
      throw new OhttpException(OhttpException.BAD_REQUEST, "encapsulated request is too short");
    }
    byte[] hdr = Arrays.copyOfRange(encapsulated, 0, 7);
    byte[] enc = new byte[nEnc];
    b.get(enc);
    byte[] ct = new byte[b.remaining()];
    b.get(ct);
    HpkeContext ctx;
    try {
      ctx =
          Hpke.of(HpkeSuite.of(entry.config.kem(), kdf, aead))
              .setupBaseRecipient(enc, entry.privateKey, OhttpClient.info(hdr));
    } catch (HpkeException e) {
      throw new OhttpException(
          OhttpException.BAD_ENCAPSULATION, "the request's encapsulated key is invalid");
    }
    byte[] message;
    try {
      message = ctx.open(new byte[0], ct);
    } catch (HpkeException e) {
      ctx.destroy();
      throw new OhttpException(
          OhttpException.REQUEST_DECRYPT_FAILED,
          "the request does not authenticate under key " + keyId + " (tampered or wrong key)");
    }
    return new Request(message, enc, ctx, kdf, aead, keyId);
  }
}
