package dev.arca.attestation.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Keycloak server from {@code org.keycloak:keycloak-quarkus-dist} (unpacked by Maven into
 * {@code target/keycloak}), started once per JVM with {@code start-dev --import-realm} and the
 * repository's realm on free loopback ports and an in-memory database, and stopped when the JVM
 * exits. The imported realm is the repository's plus one test-only client, {@link #OTHER_CLIENT}:
 * another application of the same realm, whose tokens lack the service's audience.
 */
public final class KeycloakServer {

  private static KeycloakServer instance;

  private final Process process;
  private final int port;
  private final Path log;

  private KeycloakServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts Keycloak, or returns the one this JVM already started. */
  public static synchronized KeycloakServer shared() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "keycloak-stop"));
    }
    return instance;
  }

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

  /** The base URL of realm {@code realm} on this server. */
  public String realmUrl(String realm) {
    return "http://127.0.0.1:" + port + "/realms/" + realm;
  }

  /** Base URL of the {@code arca} realm, e.g. {@code http://127.0.0.1:1234/realms/arca}. */
  public String realmUrl() {
    return "http://127.0.0.1:" + port + "/realms/arca";
  }

  private static KeycloakServer start() {
    Path dist = Path.of(required("arca.keycloak.dist"));
    Path realm = Path.of(required("arca.keycloak.realm"));
    if (!Files.isRegularFile(dist.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(
          "Keycloak distribution missing at " + dist + "; run the Maven build (it unpacks it)");
    }
    try {
      Path importDir = dist.resolve("data/import");
      Files.createDirectories(importDir);
      Files.write(importDir.resolve("arca-realm.json"), withOtherClient(realm));
      // Keycloak wants <realm>-realm.json as the file name.
      String impostorFile = IMPOSTOR_REALM + "-realm.json";
      try (var impostor = KeycloakServer.class.getResourceAsStream("/keycloak/" + impostorFile)) {
        Files.copy(impostor, importDir.resolve(impostorFile), StandardCopyOption.REPLACE_EXISTING);
      }
      int port = freePort();
      int managementPort = freePort();
      Path log = dist.resolve("keycloak-test.log");
      ProcessBuilder pb =
          new ProcessBuilder(
              List.of(
                  "bash",
                  dist.resolve("bin/kc.sh").toString(),
                  "start-dev",
                  "--import-realm",
                  "--http-host=127.0.0.1",
                  "--http-port=" + port,
                  "--http-management-port=" + managementPort,
                  "--hostname-strict=false",
                  "--cache=local",
                  // In memory: each run imports the realm files as they are now (a database
                  // kept in target/ would skip the import of a realm it already holds).
                  "--db=dev-mem"));
      Map<String, String> env = pb.environment();
      env.put("JAVA_HOME", System.getProperty("java.home"));
      // Modest memory: the machine is shared; Keycloak runs one small realm here.
      env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx400m -XX:TieredStopAtLevel=1");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      KeycloakServer server = new KeycloakServer(p, port, log);
      server.awaitReady(Duration.ofMinutes(5));
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("could not start Keycloak: " + e.getMessage(), e);
    }
  }

  /** The realm file with {@link #OTHER_CLIENT} added to its clients. */
  private static byte[] withOtherClient(Path realm) throws IOException {
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
    return json.writeValueAsBytes(r);
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI wellKnown = URI.create(realmUrl() + "/.well-known/openid-configuration");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited early; see " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(wellKnown).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stop();
    throw new IllegalStateException("Keycloak not ready within " + timeout + "; see " + log);
  }

  /** Stops Keycloak and every process it started. */
  public void stop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null) {
      throw new IllegalStateException("system property " + property + " not set (see pom.xml)");
    }
    return v;
  }
}
