// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What {@code ear.verifier-id.build} says about the service's build. */
class ServiceBuildTest {
  @Test
  void theBuiltServiceNamesItsVersionAndCommit() {
    ServiceBuild build = ServiceBuild.current();
    // Built by this reactor from a git worktree: the project version and a real commit.
    assertThat(build.version()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(build.commit()).matches("[0-9a-f]{7,}(\\+changes)?");
    assertThat(build.verifierBuild())
        .isEqualTo("arca-attestation-service 0.1.0-SNAPSHOT (commit " + build.commit() + ")");
  }

  @Test
  void aDirtyTreeAndAMissingGitAreSaid() {
    Properties dirty = new Properties();
    dirty.setProperty("git.build.version", "1.2.3");
    dirty.setProperty("git.commit.id.abbrev", "abc1234");
    dirty.setProperty("git.dirty", "true");
    assertThat(ServiceBuild.of(dirty).verifierBuild())
        .isEqualTo("arca-attestation-service 1.2.3 (commit abc1234+changes)");
    assertThat(ServiceBuild.of(new Properties())).isEqualTo(new ServiceBuild("unknown", "unknown"));
  }
}
