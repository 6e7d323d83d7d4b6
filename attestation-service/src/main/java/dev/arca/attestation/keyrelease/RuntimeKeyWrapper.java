package dev.arca.attestation.keyrelease;

import java.security.GeneralSecurityException;

/**
 * Wraps a model data key to an attested runtime's HPKE public key (RFC 9180, base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM). Only the holder of the runtime's private
 * key can open it; {@code info} binds the grant (see {@link GrantInfo}).
 */
public interface RuntimeKeyWrapper {

  /** The HPKE output: encapsulated key and ciphertext. */
  record Wrapped(byte[] enc, byte[] ciphertext) {}

  /**
   * @param runtimePublicKey raw 32-byte X25519 public key
   * @throws GeneralSecurityException when the key is not a valid X25519 public key
   */
  Wrapped wrap(byte[] runtimePublicKey, byte[] dataKey, byte[] info)
      throws GeneralSecurityException;
}
