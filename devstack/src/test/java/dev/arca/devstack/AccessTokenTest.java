// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Parsing only; real Keycloak tokens are checked in {@link KeycloakLauncherTest}. The malformed
 * inputs here are ones a real Keycloak does not produce.
 */
class AccessTokenTest {

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsUsernameAndRealmRolesAndNeverPrintsTheToken() throws Exception {
    String jwt =
        b64("{\"alg\":\"RS256\"}")
            + "."
            + b64(
                "{\"preferred_username\":\"auditor\",\"realm_access\":{\"roles\":[\"auditor\",\"offline_access\"]}}")
            + ".c2ln";
    AccessToken t = AccessToken.parse(jwt, Duration.ofMinutes(5));
    assertThat(t.username()).isEqualTo("auditor");
    assertThat(t.realmRoles()).containsExactly("auditor", "offline_access");
    assertThat(t.toString()).doesNotContain(jwt).doesNotContain("c2ln").contains("<redacted>");
  }

  @Test
  void refusesTokensThatAreNotCompactJwtsWithAJsonObjectPayload() {
    for (String bad : new String[] {"abc", "a.b", "a." + b64("[1]") + ".c", "a.!!!.c"}) {
      assertThatThrownBy(() -> AccessToken.parse(bad, Duration.ZERO))
          .isInstanceOfSatisfying(
              DevStackException.class,
              e -> assertThat(e.id()).isEqualTo(DevStackException.TOKEN_REFUSED));
    }
  }
}
