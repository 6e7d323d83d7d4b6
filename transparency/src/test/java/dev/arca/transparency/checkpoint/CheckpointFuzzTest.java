// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.transparency.note.MalformedNoteException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the checkpoint text parser: only {@link MalformedNoteException} may escape, and every
 * accepted text prints back to itself (one checkpoint, one byte form).
 */
class CheckpointFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(text);
    } catch (MalformedNoteException e) {
      return;
    }
    assertThat(cp.toText()).isEqualTo(text);
  }
}
