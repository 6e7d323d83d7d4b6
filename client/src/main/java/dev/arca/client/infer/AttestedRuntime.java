package dev.arca.client.infer;

import dev.arca.crypto.ohttp.KeyConfig;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A runtime whose EAR token verified against the service's JWKS: which device it is, the appraisal
 * status per evidence format, until when the token holds, and the OHTTP key configuration whose
 * public key equals the token's {@code cnf} key (so requests are readable only by that runtime),
 * and per model the data classes its grants cover ({@code arca.grants}).
 */
public record AttestedRuntime(
    URI url,
    String deviceId,
    Map<String, String> statusByFormat,
    String policy,
    Instant expiresAt,
    KeyConfig keyConfig,
    Map<String, java.util.Set<String>> grantedDataClasses) {
  public AttestedRuntime {
    statusByFormat = Map.copyOf(statusByFormat);
    grantedDataClasses = Map.copyOf(grantedDataClasses);
  }

  /** Whether the token's {@code arca.grants} let this runtime serve {@code model} for the class. */
  public boolean grants(String model, String dataClass) {
    return grantedDataClasses.getOrDefault(model, java.util.Set.of()).contains(dataClass);
  }
}
