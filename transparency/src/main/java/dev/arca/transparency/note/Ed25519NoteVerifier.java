// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 (RFC 8032) note verifier key, signature type {@code 0x01}. Text form (the "vkey"):
 * {@code <name>+<hex key id>+<base64(0x01 || 32-byte public key)>}, for example {@code
 * example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Ed25519NoteVerifier implements NoteVerifier {
  private static final int PUBLIC_KEY_SIZE = 32;
  private static final int SIGNATURE_SIZE = 64;

  private final String keyName;
  private final int keyId;
  private final byte[] publicKey;
  private final Ed25519PublicKeyParameters params;

  private Ed25519NoteVerifier(String keyName, byte[] publicKey) {
    this.keyName = keyName;
    this.publicKey = publicKey.clone();
    this.keyId = NoteKeys.keyId(keyName, NoteKeys.TYPE_ED25519, publicKey);
    this.params = new Ed25519PublicKeyParameters(this.publicKey, 0);
  }

  /**
   * A verifier for a known name and 32-byte public key; the key id is derived.
   *
   * @throws IllegalArgumentException if the name is invalid or the key is not a 32-byte encoding of
   *     a curve point
   */
  public static Ed25519NoteVerifier of(String keyName, byte[] publicKey) {
    NoteKeys.requireValidKeyName(keyName);
    if (publicKey == null || publicKey.length != PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
    }
    return new Ed25519NoteVerifier(keyName, publicKey);
  }

  /**
   * Parses a vkey and checks that its key id matches the name and key.
   *
   * @throws MalformedNoteException with id {@code note.malformed.vkey} otherwise
   */
  public static Ed25519NoteVerifier parse(String vkey) throws MalformedNoteException {
    // The base64 part may itself contain '+', so split into at most three.
    String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3);
    if (parts.length != 3 || !NoteKeys.isValidKeyName(parts[0])) {
      throw malformed("expected <name>+<hex id>+<base64 key>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw malformed("key is not base64");
    }
    if (key.length != 1 + PUBLIC_KEY_SIZE || key[0] != NoteKeys.TYPE_ED25519) {
      throw malformed("key must be type 0x01 (Ed25519) followed by 32 bytes");
    }
    byte[] publicKey = java.util.Arrays.copyOfRange(key, 1, key.length);
    Ed25519NoteVerifier verifier;
    try {
      verifier = new Ed25519NoteVerifier(parts[0], publicKey);
    } catch (IllegalArgumentException e) {
      // Bouncy Castle refuses encodings that are not a point on the curve.
      throw malformed("not a valid Ed25519 public key");
    }
    if (!parts[1].equals(HexFormat.of().toHexDigits(verifier.keyId))) {
      throw malformed("key id " + parts[1] + " does not match the name and key");
    }
    return verifier;
  }

  /** The vkey text form. */
  public String vkey() {
    byte[] key = new byte[1 + PUBLIC_KEY_SIZE];
    key[0] = NoteKeys.TYPE_ED25519;
    System.arraycopy(publicKey, 0, key, 1, PUBLIC_KEY_SIZE);
    return keyName
        + "+"
        + HexFormat.of().toHexDigits(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(key);
  }

  /** The 32-byte public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public String keyName() {
    return keyName;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  @Override
  public void verify(byte[] text, byte[] signature) throws NoteVerificationException {
    if (signature == null || signature.length != SIGNATURE_SIZE) {
      throw badSignature();
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, params);
    verifier.update(text, 0, text.length);
    if (!verifier.verifySignature(signature)) {
      throw badSignature();
    }
  }

  private NoteVerificationException badSignature() {
    return new NoteVerificationException(
        "note.bad-signature",
        "signature by "
            + keyName
            + "+"
            + HexFormat.of().toHexDigits(keyId)
            + " does not verify: the note was altered or signed by another key");
  }

  private static MalformedNoteException malformed(String why) {
    return new MalformedNoteException("note.malformed.vkey", "bad verifier key: " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519NoteVerifier v
        && v.keyName.equals(keyName)
        && java.util.Arrays.equals(v.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return keyName.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return vkey();
  }
}
