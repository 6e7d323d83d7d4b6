// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKdf;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePublicKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An Oblivious HTTP gateway key configuration, RFC 9458 section 3: key id, KEM, public key and the
 * (KDF, AEAD) pairs the gateway accepts. Immutable. {@link #encode()} and {@link #decode} use the
 * binary form of section 3.1; {@link #encodeList}/{@link #decodeList} the {@code
 * application/ohttp-keys} form of section 3.2 (each configuration prefixed by a 2-byte length).
 */
public final class KeyConfig {
  /** One (KDF, AEAD) pair, by registry id; may name algorithms Arca does not implement. */
  public static final class SymmetricAlgorithm {
    private final int kdfId;
    private final int aeadId;

    private SymmetricAlgorithm(int kdfId, int aeadId) {
      this.kdfId = kdfId;
      this.aeadId = aeadId;
    }

    /** A pair of supported algorithms. */
    public static SymmetricAlgorithm of(HpkeKdf kdf, HpkeAead aead) {
      return new SymmetricAlgorithm(kdf.id(), aead.id());
    }

    public int kdfId() {
      return kdfId;
    }

    public int aeadId() {
      return aeadId;
    }

    /** Whether Arca implements both (and the AEAD is not export-only). */
    public boolean isSupported() {
      try {
        HpkeKdf.fromId(kdfId);
        return HpkeAead.fromId(aeadId) != HpkeAead.EXPORT_ONLY;
      } catch (HpkeException e) {
        return false;
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SymmetricAlgorithm symmetricAlgorithm
          && symmetricAlgorithm.kdfId == kdfId
          && symmetricAlgorithm.aeadId == aeadId;
    }

    @Override
    public int hashCode() {
      return kdfId * 65536 + aeadId;
    }

    @Override
    public String toString() {
      return String.format("(kdf 0x%04x, aead 0x%04x)", kdfId, aeadId);
    }
  }

  private final int keyId;
  private final HpkePublicKey publicKey;
  private final List<SymmetricAlgorithm> algorithms;

  private KeyConfig(int keyId, HpkePublicKey publicKey, List<SymmetricAlgorithm> algorithms) {
    this.keyId = keyId;
    this.publicKey = publicKey;
    this.algorithms = Collections.unmodifiableList(new ArrayList<>(algorithms));
  }

  /**
   * Creates a configuration.
   *
   * @throws IllegalArgumentException for a key id outside 0..255 or no algorithms
   */
  public static KeyConfig of(
      int keyId, HpkePublicKey publicKey, List<SymmetricAlgorithm> algorithms) {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("key id must be 0..255");
    }
    if (algorithms.isEmpty() || algorithms.size() > 16383) {
      throw new IllegalArgumentException("1..16383 symmetric algorithms");
    }
    return new KeyConfig(keyId, Objects.requireNonNull(publicKey), algorithms);
  }

  public int keyId() {
    return keyId;
  }

  public HpkeKem kem() {
    return publicKey.kem();
  }

  public HpkePublicKey publicKey() {
    return publicKey;
  }

  public List<SymmetricAlgorithm> algorithms() {
    return algorithms;
  }

  /** The first pair Arca supports, the client's default choice. */
  public SymmetricAlgorithm preferredAlgorithm() throws OhttpException {
    for (SymmetricAlgorithm a : algorithms) {
      if (a.isSupported()) {
        return a;
      }
    }
    throw new OhttpException(
        OhttpException.UNSUPPORTED_ALGORITHM,
        "key config " + keyId + " offers no KDF/AEAD pair that Arca supports");
  }

  /** The binary Key Config of RFC 9458 section 3.1. */
  public byte[] encode() {
    byte[] pk = publicKey.bytes();
    ByteBuffer b = ByteBuffer.allocate(1 + 2 + pk.length + 2 + 4 * algorithms.size());
    b.put((byte) keyId);
    b.putShort((short) publicKey.kem().id());
    b.put(pk);
    b.putShort((short) (4 * algorithms.size()));
    for (SymmetricAlgorithm a : algorithms) {
      b.putShort((short) a.kdfId);
      b.putShort((short) a.aeadId);
    }
    return b.array();
  }

  /**
   * Decodes one Key Config; the input must hold exactly one.
   *
   * @throws OhttpException {@code ohttp.bad-key-config} if malformed or trailing bytes remain;
   *     {@code ohttp.unsupported-algorithm} for a KEM Arca does not implement
   */
  public static KeyConfig decode(byte[] encoded) throws OhttpException {
    ByteBuffer b = ByteBuffer.wrap(Objects.requireNonNull(encoded));
    KeyConfig c = read(b);
    if (b.hasRemaining()) {
      throw badConfig(b.remaining() + " trailing bytes after the key config");
    }
    return c;
  }

  private static KeyConfig read(ByteBuffer b) throws OhttpException {
    if (b.remaining() < 3) {
      throw badConfig("too short for key id and KEM id");
    }
    int keyId = b.get() & 0xff;
    int kemId = b.getShort() & 0xffff;
    HpkeKem kem;
    try {
      kem = HpkeKem.fromId(kemId);
    } catch (HpkeException e) {
      throw new OhttpException(
          OhttpException.UNSUPPORTED_ALGORITHM,
          String.format("KEM 0x%04x is not supported", kemId));
    }
    if (b.remaining() < kem.publicKeyLength() + 2) {
      throw badConfig("too short for the public key and algorithms length");
    }
    byte[] pk = new byte[kem.publicKeyLength()];
    b.get(pk);
    int algLength = b.getShort() & 0xffff;
    if (algLength < 4 || algLength % 4 != 0) {
      throw badConfig("symmetric algorithms length must be a positive multiple of 4");
    }
    if (b.remaining() < algLength) {
      throw badConfig("truncated symmetric algorithms");
    }
    List<SymmetricAlgorithm> algs = new ArrayList<>();
    for (int i = 0; i < algLength / 4; i++) {
      algs.add(new SymmetricAlgorithm(b.getShort() & 0xffff, b.getShort() & 0xffff));
    }
    try {
      return new KeyConfig(keyId, HpkePublicKey.of(kem, pk), algs);
    } catch (HpkeException e) {
      throw badConfig("public key is invalid");
    }
  }

  /** Encodes {@code application/ohttp-keys}: each configuration with a 2-byte length prefix. */
  public static byte[] encodeList(List<KeyConfig> configs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (KeyConfig c : configs) {
      byte[] e = c.encode();
      out.write(e.length >>> 8);
      out.write(e.length);
      out.writeBytes(e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes {@code application/ohttp-keys}. Configurations with a KEM Arca does not implement are
   * skipped (RFC 9458 section 3.2 lets clients ignore them); at least one must remain.
   *
   * @throws OhttpException {@code ohttp.bad-key-config} if malformed or nothing usable remains
   */
  public static List<KeyConfig> decodeList(byte[] encoded) throws OhttpException {
    ByteBuffer b = ByteBuffer.wrap(Objects.requireNonNull(encoded));
    List<KeyConfig> out = new ArrayList<>();
    while (b.hasRemaining()) {
      if (b.remaining() < 2) {
        throw badConfig("truncated length prefix");
      }
      int len = b.getShort() & 0xffff;
      if (len == 0 || b.remaining() < len) {
        throw badConfig("key config length " + len + " does not fit the remaining bytes");
      }
      byte[] one = new byte[len];
      b.get(one);
      try {
        out.add(decode(one));
      } catch (OhttpException e) {
        if (!OhttpException.UNSUPPORTED_ALGORITHM.equals(e.id())) {
          throw e;
        }
      }
    }
    if (out.isEmpty()) {
      throw badConfig("no usable key configuration");
    }
    return out;
  }

  private static OhttpException badConfig(String why) {
    return new OhttpException(OhttpException.BAD_KEY_CONFIG, "invalid OHTTP key config: " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyConfig keyConfig
        && java.util.Arrays.equals(keyConfig.encode(), encode());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "KeyConfig[id " + keyId + ", " + publicKey + ", " + algorithms + "]";
  }
}
