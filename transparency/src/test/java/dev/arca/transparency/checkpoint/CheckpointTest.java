// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.note.Ed25519NoteSigner;
import dev.arca.transparency.note.MalformedNoteException;
import dev.arca.transparency.note.NoteVerificationException;
import dev.arca.transparency.note.SignedNote;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final String ORIGIN = "arca.example/audit";
  private final Ed25519NoteSigner key = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
  private final CheckpointSigner signer = new CheckpointSigner(ORIGIN, key);
  private final CheckpointVerifier verifier =
      new CheckpointVerifier(ORIGIN, List.of(key.verifier()));
  private final byte[] root = MerkleHashes.leafHash(new byte[] {1, 2, 3});

  @Test
  void signedCheckpointVerifiesAndRoundTrips() throws Exception {
    byte[] note = signer.sign(20852163, root).encode();
    Checkpoint cp = verifier.verify(note);
    assertThat(cp).isEqualTo(new Checkpoint(ORIGIN, 20852163, root));
    assertThat(new String(note, java.nio.charset.StandardCharsets.UTF_8))
        .startsWith(ORIGIN + "\n20852163\n");
  }

  @Test
  void everyBitFlipOfASignedCheckpointIsRejected() {
    byte[] good = signer.sign(7, root).encode();
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> verifier.verify(bad))
            .as("byte %d bit %d", i, bit)
            .isInstanceOf(TransparencyException.class);
      }
    }
  }

  @Test
  void checkpointOfAnotherLogIsRejectedEvenWithTheSameKey() {
    CheckpointSigner otherLog = new CheckpointSigner("other.example/log", key);
    byte[] note = otherLog.sign(3, root).encode();
    assertThatThrownBy(() -> verifier.verify(note))
        .isInstanceOfSatisfying(
            NoteVerificationException.class,
            e -> assertThat(e.id()).isEqualTo("checkpoint.origin-mismatch"));
  }

  @Test
  void witnessCosignaturesAreIgnored() throws Exception {
    SignedNote note = signer.sign(5, root);
    Ed25519NoteSigner witness =
        Ed25519NoteSigner.generate("witness.example/w1", new SecureRandom());
    SignedNote cosigned = SignedNote.sign(note.text(), List.of(witness, key)); // witness line first
    assertThat(verifier.verify(cosigned.encode()).size()).isEqualTo(5);
  }

  @Test
  void extensionLinesRoundTrip() throws Exception {
    Checkpoint cp = new Checkpoint(ORIGIN, 1, root, List.of("ext one", "ext two"));
    assertThat(verifier.verify(signer.sign(cp).encode())).isEqualTo(cp);
  }

  @Test
  void textRulesAreStrict() {
    String r = java.util.Base64.getEncoder().encodeToString(root);
    assertMalformed(ORIGIN + "\n012\n" + r + "\n", "checkpoint.malformed.size");
    assertMalformed(ORIGIN + "\n-1\n" + r + "\n", "checkpoint.malformed.size");
    assertMalformed(ORIGIN + "\n99999999999999999999\n" + r + "\n", "checkpoint.malformed.size");
    assertMalformed(ORIGIN + "\n1\n" + r.substring(4) + "\n", "checkpoint.malformed.root");
    assertMalformed(ORIGIN + "\n1\n" + r + "\n\n", "checkpoint.malformed.empty-line");
    assertMalformed(ORIGIN + "\n1\n", "checkpoint.malformed.lines");
    assertMalformed(ORIGIN + "\n1\n" + r, "checkpoint.malformed.newline");
  }

  private static void assertMalformed(String text, String id) {
    assertThatThrownBy(() -> Checkpoint.parse(text))
        .as(text)
        .isInstanceOfSatisfying(
            MalformedNoteException.class, e -> assertThat(e.id()).isEqualTo(id));
  }

  @Test
  void aVerifierNeedsAtLeastOneLogKey() {
    assertThatThrownBy(() -> new CheckpointVerifier(ORIGIN, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
