// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export folder's paths: what an entry names (an evidence digest) must never read or write a
 * file outside the folder.
 */
class ExportFolderTest {
  @TempDir Path dir;

  @Test
  void readsAResourceAtItsPathAndRemembersTheCheckpoint() throws Exception {
    Path export = Files.createDirectories(dir.resolve("export"));
    Files.createDirectories(export.resolve("tile/0"));
    Files.writeString(export.resolve("tile/0/000"), "tile");
    Files.writeString(export.resolve("checkpoint"), "note");
    ExportFolder folder = ExportFolder.open(export);
    assertThat(folder.fetch("tile/0/000")).isEqualTo("tile".getBytes(StandardCharsets.UTF_8));
    assertThat(folder.lastCheckpoint()).isNull();
    folder.fetch("checkpoint");
    assertThat(folder.lastCheckpoint()).isEqualTo("note".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesPathsThatClimbOutOrAreAbsolute() throws Exception {
    Path export = Files.createDirectories(dir.resolve("export/inner"));
    Files.writeString(dir.resolve("export/secret"), "outside");
    Files.writeString(dir.resolve("secret"), "outside");
    ExportFolder folder = ExportFolder.open(export);
    for (String path :
        new String[] {
          "../secret", "evidence/../../secret", "/etc/passwd", "./checkpoint", "tile//0", "a\\..\\b"
        }) {
      assertThatThrownBy(() -> folder.fetch(path))
          .as(path)
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(ExportIncompleteException.class)
          .hasMessageContaining("refused");
    }
  }

  @Test
  void refusesASymbolicLinkLeadingOutOfTheFolder() throws Exception {
    Path export = Files.createDirectories(dir.resolve("export"));
    Files.writeString(dir.resolve("secret"), "outside");
    Files.createSymbolicLink(export.resolve("checkpoint"), dir.resolve("secret"));
    ExportFolder folder = ExportFolder.open(export);
    assertThatThrownBy(() -> folder.fetch("checkpoint"))
        .hasMessageContaining("leads outside the export folder");
  }

  @Test
  void aMissingFileNamesItsPath() throws Exception {
    ExportFolder folder = ExportFolder.open(Files.createDirectories(dir.resolve("export")));
    assertThatThrownBy(() -> folder.fetch("tile/entries/001.p/46"))
        .isInstanceOf(ExportIncompleteException.class)
        .hasMessage("the export has no tile/entries/001.p/46");
  }

  @Test
  void theRecorderWritesNothingOutsideItsFolder() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("partial"));
    RecordingLog recorder =
        new RecordingLog(
            new LogSource() {
              @Override
              public byte[] fetch(String path) {
                return "served".getBytes(StandardCharsets.UTF_8);
              }

              @Override
              public byte[] lastCheckpoint() {
                return null;
              }
            },
            folder);
    assertThatThrownBy(() -> recorder.fetch("evidence/../../escaped"))
        .hasMessageContaining("refused");
    assertThat(dir.resolve("escaped")).doesNotExist();
    recorder.fetch("evidence/ab");
    assertThat(folder.resolve("evidence/ab")).hasContent("served");
  }
}
