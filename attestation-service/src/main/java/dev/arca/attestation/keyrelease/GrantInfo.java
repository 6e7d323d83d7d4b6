package dev.arca.attestation.keyrelease;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The HPKE {@code info} of a grant: binds the wrapped key to one grant, model, version and
 * manifest, so a wrapped key cannot be presented as another model's. UTF-8 of {@code
 * "arca-grant-v1\n" + grantId + "\n" + modelId + "\n" + version + "\n" + manifestDigestHex}.
 */
public final class GrantInfo {
  private GrantInfo() {}

  public static byte[] bytes(UUID grantId, String modelId, long version, String manifestDigestHex) {
    return ("arca-grant-v1\n"
            + grantId
            + "\n"
            + modelId
            + "\n"
            + version
            + "\n"
            + manifestDigestHex)
        .getBytes(StandardCharsets.UTF_8);
  }
}
