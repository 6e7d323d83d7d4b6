// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One signature line of a note: {@code — <keyName> base64(keyId || signature)}.
 *
 * @param keyName name of the signing key (non-empty, no spaces, no {@code +})
 * @param keyId the key's 32-bit id (big-endian on the wire)
 * @param signature the algorithm's signature bytes, without the key id (defensively copied)
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
  /** Copies the signature and checks the key name. */
  public NoteSignature {
    NoteKeys.requireValidKeyName(keyName);
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The line as it appears in a note, including the em dash and the final newline. */
  public String line() {
    byte[] blob = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
    return "\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(blob) + "\n";
  }

  @Override
  public String toString() {
    return "NoteSignature[" + keyName + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature s
        && s.keyName.equals(keyName)
        && s.keyId == keyId
        && java.util.Arrays.equals(s.signature, signature);
  }

  @Override
  public int hashCode() {
    return keyName.hashCode() * 31 + keyId;
  }
}
