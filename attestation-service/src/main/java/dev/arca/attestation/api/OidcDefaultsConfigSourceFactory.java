// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Lets the service start without Keycloak: when {@code quarkus.oidc.auth-server-url} is not set,
 * the OIDC tenants (the API's and the console's) are disabled, so no token or session can be
 * accepted: every admin endpoint answers 401 and the console lets nobody in. Fail closed: there is
 * no configuration in which admin endpoints or console pages are open.
 */
public final class OidcDefaultsConfigSourceFactory implements ConfigSourceFactory {

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT) {
      return List.of();
    }
    ConfigValue url = context.getValue("quarkus.oidc.auth-server-url");
    if (url != null && url.getValue() != null && !url.getValue().isBlank()) {
      return List.of();
    }
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                "quarkus.oidc.tenant-enabled", "false",
                "quarkus.oidc.console.tenant-enabled", "false"),
            "arca-oidc-defaults",
            270));
  }
}
