// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import dev.arca.crypto.ArcaCryptoException;

/**
 * A sealed model package could not be written or opened. Nothing is returned from a failed open:
 * the output buffer is wiped.
 *
 * <p>Ids (docs/formats/sealed-model.md lists where each region is checked):
 *
 * <ul>
 *   <li>{@value #BAD_MAGIC}: not a sealed model package;
 *   <li>{@value #UNSUPPORTED_VERSION}: a package format version this code does not read;
 *   <li>{@value #TRUNCATED}: the package ends early;
 *   <li>{@value #BAD_HEADER}: a length field out of range;
 *   <li>{@value #BAD_MANIFEST}: the manifest is not a valid Arca manifest;
 *   <li>{@value #UNKNOWN_PUBLISHER_KEY}: the manifest names a key the verifier does not trust;
 *   <li>{@value #MANIFEST_SIGNATURE_INVALID}: the signature does not verify;
 *   <li>{@value #WRONG_DATA_KEY}: the data key does not match this package's key check value;
 *   <li>{@value #SEGMENT_TAMPERED}: a ciphertext segment failed authentication;
 *   <li>{@value #MANIFEST_MISMATCH}: plaintext size or SHA-256 differs from the manifest;
 *   <li>{@value #BUFFER_TOO_SMALL}: the caller's buffer cannot hold the model;
 *   <li>{@value #TRAILING_DATA}: bytes follow the last ciphertext segment;
 *   <li>{@value #SIGNER_MISMATCH}: sealing with a key other than the manifest's publisher key.
 * </ul>
 */
public final class SealException extends ArcaCryptoException {
  private static final long serialVersionUID = 1L;

  public static final String BAD_MAGIC = "seal.bad-magic";
  public static final String UNSUPPORTED_VERSION = "seal.unsupported-version";
  public static final String TRUNCATED = "seal.truncated";
  public static final String BAD_HEADER = "seal.bad-header";
  public static final String BAD_MANIFEST = "seal.bad-manifest";
  public static final String UNKNOWN_PUBLISHER_KEY = "seal.unknown-publisher-key";
  public static final String MANIFEST_SIGNATURE_INVALID = "seal.manifest-signature-invalid";
  public static final String WRONG_DATA_KEY = "seal.wrong-data-key";
  public static final String SEGMENT_TAMPERED = "seal.segment-tampered";
  public static final String MANIFEST_MISMATCH = "seal.manifest-mismatch";
  public static final String BUFFER_TOO_SMALL = "seal.buffer-too-small";
  public static final String SIGNER_MISMATCH = "seal.signer-mismatch";
  public static final String TRAILING_DATA = "seal.trailing-data";

  public SealException(String id, String message) {
    super(id, message);
  }

  public SealException(String id, String message, Throwable cause) {
    super(id, message, cause);
  }
}
