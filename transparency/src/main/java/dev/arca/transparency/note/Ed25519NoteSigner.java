// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 (RFC 8032, deterministic) note signer. Loads the signer-key text form used by
 * golang.org/x/mod/sumdb/note, {@code PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || 32-byte seed)>},
 * or a raw seed. The seed never leaves this object: there is no getter, and {@link #toString()}
 * shows only the public verifier key.
 *
 * <p>Immutable and thread-safe.
 */
public final class Ed25519NoteSigner implements NoteSigner {
  private static final int SEED_SIZE = 32;
  private static final String PREFIX = "PRIVATE+KEY+";

  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519NoteVerifier verifier;

  private Ed25519NoteSigner(String keyName, byte[] seed) {
    this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
    this.verifier = Ed25519NoteVerifier.of(keyName, privateKey.generatePublicKey().getEncoded());
  }

  /**
   * A signer from a 32-byte RFC 8032 seed. The caller should wipe its copy of the seed.
   *
   * @throws IllegalArgumentException if the name is invalid or the seed is not 32 bytes
   */
  public static Ed25519NoteSigner fromSeed(String keyName, byte[] seed) {
    NoteKeys.requireValidKeyName(keyName);
    if (seed == null || seed.length != SEED_SIZE) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes");
    }
    return new Ed25519NoteSigner(keyName, seed);
  }

  /** A fresh random key. */
  public static Ed25519NoteSigner generate(String keyName, SecureRandom random) {
    byte[] seed = new byte[SEED_SIZE];
    random.nextBytes(seed);
    try {
      return fromSeed(keyName, seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Parses a signer key and checks that its id matches the derived public key.
   *
   * @throws MalformedNoteException with id {@code note.malformed.skey}; the message never repeats
   *     the key
   */
  public static Ed25519NoteSigner parse(String skey) throws MalformedNoteException {
    if (skey == null || !skey.startsWith(PREFIX)) {
      throw malformed("expected PRIVATE+KEY+<name>+<hex id>+<base64 key>");
    }
    // The base64 part may itself contain '+', so split into at most three.
    String[] parts = skey.substring(PREFIX.length()).split("\\+", 3);
    if (parts.length != 3 || !NoteKeys.isValidKeyName(parts[0])) {
      throw malformed("expected PRIVATE+KEY+<name>+<hex id>+<base64 key>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw malformed("key is not base64");
    }
    try {
      if (key.length != 1 + SEED_SIZE || key[0] != NoteKeys.TYPE_ED25519) {
        throw malformed("key must be type 0x01 (Ed25519) followed by a 32-byte seed");
      }
      Ed25519NoteSigner signer =
          new Ed25519NoteSigner(parts[0], Arrays.copyOfRange(key, 1, key.length));
      if (!parts[1].equals(HexFormat.of().toHexDigits(signer.keyId()))) {
        throw malformed("key id does not match the name and key");
      }
      return signer;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The matching public verifier key. */
  public Ed25519NoteVerifier verifier() {
    return verifier;
  }

  @Override
  public String keyName() {
    return verifier.keyName();
  }

  @Override
  public int keyId() {
    return verifier.keyId();
  }

  @Override
  public byte[] sign(byte[] text) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(text, 0, text.length);
    return signer.generateSignature();
  }

  private static MalformedNoteException malformed(String why) {
    return new MalformedNoteException("note.malformed.skey", "bad signer key: " + why);
  }

  @Override
  public String toString() {
    return "Ed25519NoteSigner[" + verifier.vkey() + "]";
  }
}
