// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.devstack.DevStackException;
import dev.arca.devstack.KeycloakDistribution;
import dev.arca.devstack.KeycloakLauncher;
import dev.arca.devstack.ProcessSupervisor;
import dev.arca.devstack.ReadinessListener;
import dev.arca.devstack.RunningKeycloak;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one real Keycloak of a test JVM, started on first use by devstack's {@link KeycloakLauncher}
 * — the same launcher, flags and readiness checks as {@code arca demo} — from the distribution
 * Maven unpacked into {@code target/keycloak} ({@code arca.keycloak.dist}), with the repository's
 * realm ({@code arca.keycloak.realm}) plus test-only additions, on free loopback ports and an
 * in-memory database. Its {@link ProcessSupervisor} stops it when the JVM exits; its log is {@code
 * target/keycloak-run/keycloak.log}.
 *
 * <p>Test-only additions: the client {@link #OTHER_CLIENT} in the {@code arca} realm, and the realm
 * {@link #IMPOSTOR_REALM}.
 */
public final class KeycloakServer {

  /**
   * A confidential client (secret {@link #OTHER_CLIENT_SECRET}, direct access grants) added to the
   * {@code arca} realm for tests only, without the audience mapper of the Arca clients: a genuine
   * token of the realm, with the user's roles, issued to some other application.
   */
  public static final String OTHER_CLIENT = "arca-test-other-app";

  public static final String OTHER_CLIENT_SECRET = "arca-test-other-app-secret";

  /**
   * A second realm on the same server with the same role names, users and client as Arca's: its
   * tokens are genuine Keycloak tokens the service must still refuse.
   */
  public static final String IMPOSTOR_REALM = "arca-impostor";

  private static RunningKeycloak instance;

  private KeycloakServer() {}

  /**
   * Starts Keycloak, or returns the one this JVM already started: {@code realmUrl()} is the {@code
   * arca} realm, {@code realmUrl(IMPOSTOR_REALM)} the impostor.
   *
   * @throws IllegalStateException if the distribution is missing or Keycloak does not get ready
   *     (the message quotes its log)
   */
  public static synchronized RunningKeycloak shared() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static RunningKeycloak start() {
    Path runDir = Path.of("target", "keycloak-run").toAbsolutePath();
    try {
      KeycloakDistribution dist = KeycloakDistribution.at(Path.of(required("arca.keycloak.dist")));
      // Not closed: its shutdown hook stops Keycloak when the JVM exits, after the last test.
      ProcessSupervisor supervisor = ProcessSupervisor.create(runDir);
      return new KeycloakLauncher(dist)
          .realm(withOtherClient(Path.of(required("arca.keycloak.realm")), runDir))
          .realm(impostorRealm(runDir))
          // Modest memory: the machine is shared; Keycloak serves two small realms here.
          .heap("-Xms64m -Xmx400m")
          .start(supervisor, ReadinessListener.NONE);
    } catch (DevStackException | IOException e) {
      throw new IllegalStateException("could not start Keycloak: " + e.getMessage(), e);
    }
  }

  /** The repository's realm with {@link #OTHER_CLIENT} added, written into {@code runDir}. */
  private static Path withOtherClient(Path realm, Path runDir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode r = (ObjectNode) json.readTree(realm.toFile());
    ObjectNode c = ((ArrayNode) r.get("clients")).addObject();
    c.put("clientId", OTHER_CLIENT);
    c.put("enabled", true);
    c.put("publicClient", false);
    c.put("secret", OTHER_CLIENT_SECRET);
    c.put("clientAuthenticatorType", "client-secret");
    c.put("standardFlowEnabled", false);
    c.put("directAccessGrantsEnabled", true);
    c.put("protocol", "openid-connect");
    Path file = runDir.resolve("arca-realm.json");
    json.writeValue(file.toFile(), r);
    return file;
  }

  /** The impostor realm from the test resources, as a file the launcher can import. */
  private static Path impostorRealm(Path runDir) throws IOException {
    String name = IMPOSTOR_REALM + "-realm.json";
    Path file = runDir.resolve(name);
    try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/" + name)) {
      if (in == null) {
        throw new IOException("test resource /keycloak/" + name + " missing");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null) {
      throw new IllegalStateException("system property " + property + " not set (see pom.xml)");
    }
    return v;
  }
}
