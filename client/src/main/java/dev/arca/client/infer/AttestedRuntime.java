package dev.arca.client.infer;

import dev.arca.crypto.ohttp.KeyConfig;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A runtime whose EAR token verified against the service's JWKS: which device it is, the appraisal
 * status per evidence format, until when the token holds, and the OHTTP key configuration whose
 * public key equals the token's {@code cnf} key (so requests are readable only by that runtime).
 */
public record AttestedRuntime(
    URI url,
    String deviceId,
    Map<String, String> statusByFormat,
    String policy,
    Instant expiresAt,
    KeyConfig keyConfig) {
  public AttestedRuntime {
    statusByFormat = Map.copyOf(statusByFormat);
  }
}
