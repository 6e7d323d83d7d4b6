// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.android.AndroidKeyVerifier;
import dev.arca.evidence.psa.PsaVerifier;
import dev.arca.evidence.tpm2.Tpm2Bundle;
import dev.arca.evidence.tpm2.Tpm2Verifier;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code arca verify} reads evidence from disk: one file, or a folder where a format says. */
class ReadEvidenceTest {
  @TempDir Path dir;

  @Test
  void aSingleFileFormatReadsTheFileAndRefusesAFolder() throws Exception {
    Path file = Files.write(dir.resolve("token.cbor"), new byte[] {1, 2, 3});
    EvidenceVerifier psa = new PsaVerifier();
    assertThat(psa.readEvidence(file)).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> psa.readEvidence(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("takes a single file");
  }

  @Test
  void aTpm2FileOfExactlyTheLimitIsReadAndOneByteMoreRefused() throws Exception {
    Tpm2Verifier tpm2 = new Tpm2Verifier();
    Path atLimit = sized("limit.json", Tpm2Bundle.MAX_BYTES);
    assertThat(tpm2.readEvidence(atLimit)).hasSize(Tpm2Bundle.MAX_BYTES);
    Path over = sized("over.json", Tpm2Bundle.MAX_BYTES + 1L);
    assertThatThrownBy(() -> tpm2.readEvidence(over))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is larger than");
  }

  @Test
  void anAndroidChainFolderIsReadUpToItsFileLimit() throws Exception {
    for (int i = 0; i <= AndroidKeyVerifier.MAX_CHAIN_FILES; i++) {
      Files.writeString(dir.resolve("cert" + i + ".pem"), "c" + i);
    }
    String read = new String(new AndroidKeyVerifier().readEvidence(dir), StandardCharsets.US_ASCII);
    assertThat(read.lines()).hasSize(AndroidKeyVerifier.MAX_CHAIN_FILES).startsWith("c0");
    assertThat(read).doesNotContain("c" + AndroidKeyVerifier.MAX_CHAIN_FILES);
  }

  private Path sized(String name, long size) throws IOException {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    return p;
  }
}
