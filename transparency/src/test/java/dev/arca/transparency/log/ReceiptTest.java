// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.merkle.RootMismatchException;
import dev.arca.transparency.note.Ed25519NoteSigner;
import dev.arca.transparency.note.NoteVerificationException;
import dev.arca.transparency.note.SignedNote;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptTest {
  private static final String ORIGIN = "arca.example/audit";
  private final Ed25519NoteSigner key = Ed25519NoteSigner.generate(ORIGIN, new SecureRandom());
  private final CheckpointSigner signer = new CheckpointSigner(ORIGIN, key);
  private final CheckpointVerifier verifier =
      new CheckpointVerifier(ORIGIN, List.of(key.verifier()));

  @Test
  void aReceiptSurvivesJsonAndVerifiesOnlyForItsEntry() throws Exception {
    InMemoryLog log = new InMemoryLog();
    for (int i = 0; i < 21; i++) {
      log.append(new byte[] {(byte) i});
    }
    SignedNote cp = log.checkpoint(signer);
    log.append(new byte[] {99}); // later appends do not affect the receipt
    Receipt r = log.receipt(13, cp);
    String json = new ObjectMapper().writeValueAsString(r.toJson());
    Receipt back = Receipt.fromJson(new ObjectMapper().readTree(json));
    assertThat(back).isEqualTo(r);
    assertThat(back.verify(new byte[] {13}, verifier).size()).isEqualTo(21);
    assertThatThrownBy(() -> back.verify(new byte[] {14}, verifier))
        .isInstanceOf(RootMismatchException.class);
  }

  @Test
  void everyBitFlipOfAReceiptIsRejected() throws Exception {
    InMemoryLog log = new InMemoryLog();
    for (int i = 0; i < 9; i++) {
      log.append(new byte[] {(byte) i});
    }
    Receipt r = log.receipt(4, log.checkpoint(signer));
    byte[] cp = r.checkpoint();
    for (int i = 0; i < cp.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = cp.clone();
        bad[i] ^= (byte) (1 << bit);
        Receipt tampered = new Receipt(4, 9, r.proof(), bad);
        assertThatThrownBy(() -> tampered.verify(new byte[] {4}, verifier))
            .isInstanceOf(TransparencyException.class);
      }
    }
    for (int p = 0; p < r.proof().size(); p++) {
      for (int bit = 0; bit < 256; bit++) {
        List<byte[]> proof = new java.util.ArrayList<>(r.proof());
        byte[] h = proof.get(p).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(p, h);
        Receipt tampered = new Receipt(4, 9, proof, cp);
        assertThatThrownBy(() -> tampered.verify(new byte[] {4}, verifier))
            .isInstanceOf(RootMismatchException.class);
      }
    }
    Receipt wrongSize = new Receipt(4, 8, r.proof(), cp);
    assertThatThrownBy(() -> wrongSize.verify(new byte[] {4}, verifier))
        .isInstanceOfSatisfying(
            NoteVerificationException.class,
            e -> assertThat(e.id()).isEqualTo("receipt.size-mismatch"));
  }
}
