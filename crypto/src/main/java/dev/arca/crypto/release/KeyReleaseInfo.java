// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a wrapped data key is bound to: grant id, model id, model version and manifest digest.
 * {@link #bytes()} is the HPKE {@code info} (RFC 9180 section 5.1), so a wrapped key opens only for
 * exactly this grant, model version and manifest. Immutable.
 *
 * <p>Canonical encoding: ASCII {@code "arca/key-release/v1"}, a zero byte, then grant id and model
 * id each as a 2-byte big-endian length and UTF-8 bytes, the version as 8 bytes big-endian, and the
 * 32-byte manifest digest. Length prefixes make the encoding injective.
 */
public final class KeyReleaseInfo {
  private static final byte[] LABEL = "arca/key-release/v1".getBytes(StandardCharsets.US_ASCII);

  private final String grantId;
  private final String modelId;
  private final long version;
  private final byte[] manifestDigest;

  private KeyReleaseInfo(String grantId, String modelId, long version, byte[] manifestDigest) {
    this.grantId = grantId;
    this.modelId = modelId;
    this.version = version;
    this.manifestDigest = manifestDigest;
  }

  /**
   * Creates the binding.
   *
   * @throws IllegalArgumentException for empty or over-long ids (more than 1024 UTF-8 bytes), a
   *     version below 1, or a digest that is not 32 bytes
   */
  public static KeyReleaseInfo of(
      String grantId, String modelId, long version, byte[] manifestDigest) {
    checkId("grantId", grantId);
    checkId("modelId", modelId);
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1");
    }
    if (manifestDigest == null || manifestDigest.length != 32) {
      throw new IllegalArgumentException("manifest digest must be 32 bytes (SHA-256)");
    }
    return new KeyReleaseInfo(grantId, modelId, version, manifestDigest.clone());
  }

  private static void checkId(String name, String v) {
    if (v == null || v.isEmpty() || v.getBytes(StandardCharsets.UTF_8).length > 1024) {
      throw new IllegalArgumentException(name + " must be 1..1024 UTF-8 bytes");
    }
  }

  public String grantId() {
    return grantId;
  }

  public String modelId() {
    return modelId;
  }

  public long version() {
    return version;
  }

  public byte[] manifestDigest() {
    return manifestDigest.clone();
  }

  /** The canonical bytes used as HPKE info. */
  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(LABEL);
    out.write(0);
    writeString(out, grantId);
    writeString(out, modelId);
    for (int i = 7; i >= 0; i--) {
      out.write((int) (version >>> (8 * i)));
    }
    out.writeBytes(manifestDigest);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >>> 8);
    out.write(b.length);
    out.writeBytes(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyReleaseInfo keyReleaseInfo
        && Arrays.equals(keyReleaseInfo.bytes(), bytes());
  }

  @Override
  public int hashCode() {
    return Objects.hash(grantId, modelId, version);
  }

  @Override
  public String toString() {
    return "KeyReleaseInfo[grant " + grantId + ", " + modelId + " v" + version + "]";
  }
}
