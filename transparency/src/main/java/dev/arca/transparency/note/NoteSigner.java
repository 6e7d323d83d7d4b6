// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

/** A private key that signs note texts. Implementations never print key material. */
public interface NoteSigner {
  /** Name of the key, written in the signature line. */
  String keyName();

  /** 32-bit key id, written before the signature. */
  int keyId();

  /** Signs the exact note text bytes; returns the signature without the key id. */
  byte[] sign(byte[] text);
}
