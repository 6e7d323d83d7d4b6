// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.arca.devstack.SoftHsm;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness says whether the KEK works now: an HSM key that is gone makes the replica not ready.
 */
class KekHealthTest {
  @TempDir java.nio.file.Path data;

  @Test
  void readyWhileTheTokenKeyWorksAndNotOnceItIsGone() throws Exception {
    List<String> missing = SoftHsm.missingToolsForTests();
    assumeTrue(missing.isEmpty(), "the HSM KEK test needs " + missing);
    SoftHsm.Token token = SoftHsm.token();
    String label = "health-" + UUID.randomUUID();
    KekHealth health =
        new KekHealth(
            ServiceKeys.kek(
                data.toString(),
                "pkcs11:object=" + label,
                Optional.of(token.library().toString()),
                token.slotListIndex(),
                Optional.of(token.pinFile().toString())));

    HealthCheckResponse up = health.call();
    assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(up.getData().orElseThrow()).containsEntry("uri", "pkcs11:object=" + label);

    // The HSM's administrator deletes the key (or the token is re-initialized).
    token.openedAs("hsm-admin").deleteEntry(label);

    HealthCheckResponse down = health.call();
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(String.valueOf(down.getData().orElseThrow().get("error")))
        .startsWith("the KEK cannot wrap and unwrap");
  }
}
