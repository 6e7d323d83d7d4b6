// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.devstack.RepositoryLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The deployment realm ({@code deploy/keycloak/arca-realm.json}, docs/deploy.md) against the test
 * realm the demo and the tests import ({@code attestation-service/src/main/keycloak/}): the same
 * realm, roles and people's client, every client putting the service's audience in its tokens, and
 * none of the test realm's known secrets or passwords.
 */
class DeployRealmTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDeploymentRealmHasTheTestRealmsRolesAndClientsButNoKnownSecret() throws Exception {
    RepositoryLayout repo = RepositoryLayout.find(java.nio.file.Path.of(""));
    JsonNode test = JSON.readTree(repo.realmJson().toFile());
    JsonNode deploy =
        JSON.readTree(repo.root().resolve("deploy/keycloak/arca-realm.json").toFile());

    assertThat(deploy.path("realm")).isEqualTo(test.path("realm"));
    assertThat(deploy.path("roles")).isEqualTo(test.path("roles"));
    Map<String, JsonNode> testClients = clients(test);
    Map<String, JsonNode> deployClients = clients(deploy);
    assertThat(deployClients.get("arca-cli")).isEqualTo(testClients.get("arca-cli"));
    assertThat(deployClients)
        .containsKey("arca-automation")
        .containsKey("arca-audit")
        .containsKey("arca-console");
    // The console may send people back only to its own public URL, never to any port of a host.
    assertThat(deployClients.get("arca-console").path("redirectUris"))
        .allSatisfy(uri -> assertThat(uri.asText()).startsWith("${ARCA_CONSOLE_URL}/console"));
    for (JsonNode client : deployClients.values()) {
      assertThat(audiences(client))
          .as("audience of client %s", client.path("clientId").asText())
          .containsExactly("arca-service");
      if (!client.path("publicClient").asBoolean()) {
        assertThat(client.path("secret").asText())
            .as("secret of %s comes from the environment at import", client.path("clientId"))
            .matches("\\$\\{[A-Z_]+}");
        assertThat(client.path("directAccessGrantsEnabled").asBoolean()).isFalse();
      }
    }
    for (JsonNode user : deploy.path("users")) {
      assertThat(user.has("credentials"))
          .as("user %s has no password", user.path("username"))
          .isFalse();
      assertThat(user.path("serviceAccountClientId").asText()).isNotEmpty();
    }
    assertThat(deploy.path("sslRequired").asText()).isEqualTo("external");
  }

  private static Map<String, JsonNode> clients(JsonNode realm) {
    Map<String, JsonNode> byId = new TreeMap<>();
    realm.path("clients").forEach(c -> byId.put(c.path("clientId").asText(), c));
    return byId;
  }

  private static List<String> audiences(JsonNode client) {
    List<String> found = new ArrayList<>();
    for (JsonNode mapper : client.path("protocolMappers")) {
      if (mapper.path("protocolMapper").asText().equals("oidc-audience-mapper")
          && mapper.path("config").path("access.token.claim").asText().equals("true")) {
        found.add(mapper.path("config").path("included.custom.audience").asText());
      }
    }
    return found;
  }
}
