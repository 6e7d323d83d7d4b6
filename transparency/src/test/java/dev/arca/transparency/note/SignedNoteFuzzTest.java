// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the signed-note parser and verifier (and the verifier-key parser): only {@link
 * MalformedNoteException} and {@link NoteVerificationException} may escape; whatever parses
 * re-encodes to the same bytes; a note can only verify under the fixed key if that key really
 * signed its text.
 */
class SignedNoteFuzzTest {
  private static final Ed25519NoteSigner KEY =
      Ed25519NoteSigner.fromSeed("fuzz.example/log", new byte[32]);

  @FuzzTest(maxDuration = "10s")
  void parseAndVerify(byte[] input) {
    String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    try {
      Ed25519NoteVerifier v = Ed25519NoteVerifier.parse(text);
      assertThat(Ed25519NoteVerifier.parse(v.vkey())).isEqualTo(v);
    } catch (MalformedNoteException e) {
      // not a verifier key: fine
    }
    SignedNote note;
    try {
      note = SignedNote.parse(input);
    } catch (MalformedNoteException e) {
      return;
    }
    assertThat(note.encode()).isEqualTo(input);
    try {
      VerifiedNote v = note.verify(List.of(KEY.verifier()));
      // Deterministic Ed25519: a verified signature is exactly what the key produces.
      assertThat(v.verifiedSignatures().get(0).signature())
          .isEqualTo(KEY.sign(note.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoteVerificationException e) {
      assertThat(e.id()).isIn("note.bad-signature", "note.no-trusted-signature");
    }
  }
}
