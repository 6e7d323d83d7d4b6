// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionFloorTest {
  @TempDir Path state;

  @Test
  void aLowerVersionIsRefusedAcrossRestarts() throws Exception {
    VersionFloor floor = VersionFloor.open(state);
    floor.accept("m", 3);
    VersionFloor reopened = VersionFloor.open(state);
    assertThat(reopened.floor("m")).isEqualTo(3);
    assertThatThrownBy(() -> reopened.check("m", 2))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("lower than version 3");
    reopened.accept("m", 4);
    assertThat(VersionFloor.open(state).floor("m")).isEqualTo(4);
  }
}
