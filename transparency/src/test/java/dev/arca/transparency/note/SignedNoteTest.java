// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.transparency.TransparencyException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Ed25519NoteSigner log = Ed25519NoteSigner.generate("log.example/a", RANDOM);
  private final Ed25519NoteSigner other = Ed25519NoteSigner.generate("other.example/b", RANDOM);

  @Test
  void signParseVerifyRoundTrip() throws Exception {
    SignedNote note = SignedNote.sign("hello\n\nworld\n", List.of(log, other));
    SignedNote parsed = SignedNote.parse(note.encode());
    assertThat(parsed.text()).isEqualTo("hello\n\nworld\n");
    assertThat(parsed.signatures()).hasSize(2);
    VerifiedNote v = parsed.verify(List.of(log.verifier()));
    assertThat(v.verifiedSignatures())
        .extracting(NoteSignature::keyName)
        .containsExactly("log.example/a");
  }

  @Test
  void everyBitFlipOfASignedNoteIsRejected() {
    byte[] good = SignedNote.sign("a checkpoint-like text\n42\n", List.of(log)).encode();
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> SignedNote.parse(bad).verify(List.of(log.verifier())))
            .as("byte %d bit %d", i, bit)
            .isInstanceOf(TransparencyException.class);
      }
    }
  }

  @Test
  void aFailingSignatureByATrustedKeyRejectsTheWholeNote() throws Exception {
    SignedNote signed = SignedNote.sign("text\n", List.of(log));
    // A second line that claims the trusted key but carries another key's signature.
    NoteSignature forged =
        new NoteSignature(
            log.keyName(), log.keyId(), other.sign("text\n".getBytes(StandardCharsets.UTF_8)));
    SignedNote both = SignedNote.parse(signed.withSignature(forged).encode());
    assertThatThrownBy(() -> both.verify(List.of(log.verifier())))
        .isInstanceOfSatisfying(
            NoteVerificationException.class,
            e -> assertThat(e.id()).isEqualTo("note.bad-signature"));
  }

  @Test
  void unknownKeysAreIgnoredEvenIfTheyShareTheName() throws Exception {
    Ed25519NoteSigner impostor = Ed25519NoteSigner.generate("log.example/a", RANDOM);
    SignedNote note = SignedNote.sign("text\n", List.of(impostor, log));
    assertThat(note.verify(List.of(log.verifier())).verifiedSignatures()).hasSize(1);
    SignedNote onlyImpostor = SignedNote.sign("text\n", List.of(impostor));
    assertThatThrownBy(() -> onlyImpostor.verify(List.of(log.verifier())))
        .isInstanceOfSatisfying(
            NoteVerificationException.class,
            e -> assertThat(e.id()).isEqualTo("note.no-trusted-signature"));
  }

  @Test
  void malformedNotesAreRejectedWithTheirRule() {
    assertMalformed("no newline", "note.malformed.newline");
    assertMalformed("text\n", "note.malformed.no-signatures");
    assertMalformed("text\n\n", "note.malformed.no-signatures");
    assertMalformed("text\r\n\n\u2014 a AAAAAAA=\n", "note.malformed.control");
    assertMalformed("text\n\n- a AAAAAAA=\n", "note.malformed.signature-line");
    assertMalformed("text\n\n\u2014 a+b AAAAAAA=\n", "note.malformed.key-name");
    assertMalformed("text\n\n\u2014 a AAAAAAA\n", "note.malformed.base64");
    assertMalformed("text\n\n\u2014 a AAAA\n", "note.malformed.signature-length");
    byte[] badUtf8 = {'t', (byte) 0xC3, '\n', '\n'};
    assertThatThrownBy(() -> SignedNote.parse(badUtf8))
        .isInstanceOfSatisfying(
            MalformedNoteException.class, e -> assertThat(e.id()).isEqualTo("note.malformed.utf8"));
  }

  @Test
  void keyIdsFollowTheSpec() throws Exception {
    Ed25519NoteVerifier v =
        Ed25519NoteVerifier.parse(
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    assertThat(v.keyId()).isEqualTo(0x530d903a);
    assertThatThrownBy(
            () ->
                Ed25519NoteVerifier.parse(
                    "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
        .isInstanceOf(MalformedNoteException.class);
    assertThatThrownBy(
            () ->
                Ed25519NoteVerifier.parse(
                    "example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
        .isInstanceOf(MalformedNoteException.class);
  }

  @Test
  void aVkeyThatIsNotACurvePointIsMalformed() {
    // Found by SignedNoteFuzzTest: y = 2 is not the y-coordinate of any Ed25519 point.
    byte[] key = new byte[33];
    key[0] = 0x01;
    key[1] = 2;
    String b64 = java.util.Base64.getEncoder().encodeToString(key);
    int id = NoteKeys.keyId("k", NoteKeys.TYPE_ED25519, java.util.Arrays.copyOfRange(key, 1, 33));
    String vkey = "k+" + java.util.HexFormat.of().toHexDigits(id) + "+" + b64;
    assertThatThrownBy(() -> Ed25519NoteVerifier.parse(vkey))
        .isInstanceOfSatisfying(
            MalformedNoteException.class, e -> assertThat(e.id()).isEqualTo("note.malformed.vkey"));
  }

  private static void assertMalformed(String note, String id) {
    assertThatThrownBy(() -> SignedNote.parse(note.getBytes(StandardCharsets.UTF_8)))
        .as(note)
        .isInstanceOfSatisfying(
            MalformedNoteException.class, e -> assertThat(e.id()).isEqualTo(id));
  }
}
