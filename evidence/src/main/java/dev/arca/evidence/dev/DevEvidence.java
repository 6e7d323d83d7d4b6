// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.dev;

/**
 * The {@code dev} evidence encoding, shared by {@link DevAttester} and {@link DevVerifier}.
 *
 * <p>Evidence is a JSON object {@code {"payload": b64url, "signature": b64url}}. The payload is
 * UTF-8 JSON {@code {"version": 1, "publicKey": b64url(Ed25519 raw 32 bytes), "reportData": b64url,
 * "measurements": {name: hex}, "createdAt": ISO-8601}}. The signature is Ed25519 over {@link
 * #SIGNING_CONTEXT} followed by the payload bytes, so a dev signature can never be taken for any
 * other Arca signature.
 */
final class DevEvidence {
  static final String MEDIA_TYPE = "application/vnd.arca.dev-evidence+json";
  static final byte[] SIGNING_CONTEXT =
      "arca dev evidence v1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final int VERSION = 1;

  /** Dev evidence is small; anything larger is refused before parsing. */
  static final int MAX_BYTES = 64 * 1024;

  private DevEvidence() {}

  static byte[] signedBytes(byte[] payload) {
    byte[] out = new byte[SIGNING_CONTEXT.length + payload.length];
    System.arraycopy(SIGNING_CONTEXT, 0, out, 0, SIGNING_CONTEXT.length);
    System.arraycopy(payload, 0, out, SIGNING_CONTEXT.length, payload.length);
    return out;
  }
}
