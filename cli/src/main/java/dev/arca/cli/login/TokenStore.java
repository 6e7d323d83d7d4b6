// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tokens cached per profile (one per person or automation account) in {@code
 * <dir>/tokens/<profile>.json}, each file created owner-only ({@code 0600}) in an owner-only
 * directory ({@code 0700}) and replaced atomically. The default directory is {@code
 * $ARCA_CONFIG_DIR}, else {@code ~/.arca}.
 */
public final class TokenStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public TokenStore(Path configDir) {
    this.dir = configDir.resolve("tokens");
  }

  /**
   * The store under {@code $ARCA_CONFIG_DIR} (or system property arca.config.dir), else ~/.arca.
   */
  public static TokenStore standard() {
    String p = System.getProperty("arca.config.dir", System.getenv("ARCA_CONFIG_DIR"));
    Path d =
        p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("user.home"), ".arca");
    return new TokenStore(d);
  }

  /** The file for {@code profile}. */
  public Path file(String profile) {
    if (!profile.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "profile names are 1-64 letters, digits, '.', '_' or '-': " + profile);
    }
    return dir.resolve(profile + ".json");
  }

  /**
   * Saves {@code token} as {@code profile}, owner-only.
   *
   * @throws LoginException {@code login.store} if the file cannot be written
   */
  public void save(String profile, StoredToken token) throws LoginException {
    Path target = file(profile);
    ObjectNode n = JSON.createObjectNode();
    n.put("issuer", token.issuer());
    n.put("subject", token.subject());
    n.put("expiresAt", token.expiresAt().toString());
    n.set("roles", JSON.valueToTree(token.roles()));
    n.put("accessToken", token.accessToken());
    token
        .refresh()
        .ifPresent(
            r -> {
              n.put("clientId", r.clientId());
              n.put("refreshToken", r.refreshToken());
            });
    try {
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      Path tmp = dir.resolve("." + profile + ".tmp");
      Files.deleteIfExists(tmp);
      if (posix) {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      Files.write(tmp, JSON.writeValueAsBytes(n));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LoginException(
          "login.store", "cannot save the token in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The token saved as {@code profile}, if any.
   *
   * @throws LoginException {@code login.store} if the file exists but cannot be read
   */
  public Optional<StoredToken> load(String profile) throws LoginException {
    Path f = file(profile);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(f.toFile());
      List<String> roles = new ArrayList<>();
      n.path("roles").forEach(r -> roles.add(r.asText()));
      return Optional.of(
          new StoredToken(
              n.path("issuer").asText(),
              n.path("accessToken").asText(),
              Instant.parse(n.path("expiresAt").asText()),
              n.path("subject").asText(),
              roles,
              n.path("refreshToken").isTextual()
                  ? new StoredToken.Refresh(
                      n.path("clientId").asText(), n.path("refreshToken").asText())
                  : null));
    } catch (IOException | RuntimeException e) {
      throw new LoginException(
          "login.store", "the cached token " + f + " is unreadable; run arca login again", e);
    }
  }

  /**
   * The token for {@code profile}, refusing an absent or expired one with what to do next.
   *
   * @throws LoginException {@code login.missing}, {@code login.expired}, {@code login.store}
   */
  public StoredToken require(String profile, Instant now) throws LoginException {
    return usable(profile, load(profile), now);
  }

  /**
   * {@code token}, the one cached as {@code profile}, refused when absent or expired with what to
   * do next.
   *
   * @throws LoginException {@code login.missing}, {@code login.expired}
   */
  static StoredToken usable(String profile, Optional<StoredToken> token, Instant now)
      throws LoginException {
    StoredToken t =
        token.orElseThrow(
            () ->
                new LoginException(
                    "login.missing",
                    "not logged in as '"
                        + profile
                        + "'; run: arca login --issuer <OpenID issuer URL> --as "
                        + profile));
    if (t.expiredAt(now)) {
      throw new LoginException(
          "login.expired",
          "the token of '" + profile + "' expired at " + t.expiresAt() + "; run arca login again");
    }
    return t;
  }
}
