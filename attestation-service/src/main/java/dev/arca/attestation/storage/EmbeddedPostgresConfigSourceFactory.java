// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.storage;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Starts the embedded PostgreSQL before the datasource exists, when no database URL is configured.
 *
 * <p>Why a config source factory: Agroal reads {@code quarkus.datasource.jdbc.url} while the
 * application initialises at run time; a factory runs exactly then (runtime init), sees the other
 * configuration, and can supply the URL of a server it has just started, with the login of its
 * non-superuser application role. It does nothing at build time or when {@code
 * quarkus.datasource.jdbc.url} is set (production, any PostgreSQL).
 *
 * <p>It also resolves {@code arca.data-dir} (env {@code ARCA_DATA_DIR}, default {@code
 * ~/.arca/data}) into {@code arca.resolved-data-dir}, which the key stores use. With {@code
 * arca.data-dir.temporary=true} (tests) a fresh temporary directory is used and deleted at exit.
 */
public final class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

  /** Ordinal below environment variables and system properties, above application.properties. */
  private static final int ORDINAL = 270;

  private static Path resolvedDataDir;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT) {
      return List.of();
    }
    Path dataDir = dataDir(context);
    String url = value(context, "quarkus.datasource.jdbc.url");
    if (url != null && !url.isBlank()) {
      return List.of(source(Map.of("arca.resolved-data-dir", dataDir.toString())));
    }
    boolean temporary = Boolean.parseBoolean(value(context, "arca.data-dir.temporary"));
    EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, temporary);
    return List.of(
        source(
            Map.of(
                "quarkus.datasource.jdbc.url",
                pg.jdbcUrl(),
                "quarkus.datasource.username",
                pg.username(),
                "quarkus.datasource.password",
                pg.password(),
                "arca.resolved-data-dir",
                dataDir.toString())));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(ORDINAL);
  }

  private static synchronized Path dataDir(ConfigSourceContext context) {
    if (resolvedDataDir != null) {
      return resolvedDataDir;
    }
    try {
      if (Boolean.parseBoolean(value(context, "arca.data-dir.temporary"))) {
        resolvedDataDir = Files.createTempDirectory("arca-data-");
      } else {
        String configured = value(context, "arca.data-dir");
        resolvedDataDir =
            configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".arca", "data")
                : Path.of(configured);
        PrivateDirectories.create(resolvedDataDir);
      }
      return resolvedDataDir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the Arca data directory", e);
    }
  }

  private static String value(ConfigSourceContext context, String name) {
    ConfigValue v = context.getValue(name);
    return v == null ? null : v.getValue();
  }

  private static ConfigSource source(Map<String, String> properties) {
    return new PropertiesConfigSource(properties, "arca-embedded-postgres", ORDINAL);
  }
}
