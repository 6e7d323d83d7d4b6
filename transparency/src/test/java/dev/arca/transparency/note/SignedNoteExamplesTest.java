// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.transparency.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example of src/test/resources/vectors/c2sp/signed-note-examples.json: examples with
 * verifier keys verify (or fail) as recorded; parse-only examples parse and re-encode byte for
 * byte.
 */
class SignedNoteExamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode examples() throws IOException {
    return JSON.readTree(
            Paths.get("src/test/resources/vectors/c2sp/signed-note-examples.json").toFile())
        .get("examples");
  }

  @TestFactory
  Stream<DynamicTest> everyExample() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode ex : examples()) {
      tests.add(DynamicTest.dynamicTest(ex.get("id").asText(), () -> check(ex)));
    }
    return tests.stream();
  }

  @Test
  void allNineExamplesAreRun() throws IOException {
    assertThat(examples()).hasSize(9);
  }

  private static void check(JsonNode ex) throws Exception {
    byte[] bytes = ex.get("note").asText().getBytes(StandardCharsets.UTF_8);
    SignedNote note = SignedNote.parse(bytes);
    assertThat(note.encode()).isEqualTo(bytes);

    List<Ed25519NoteVerifier> keys = new ArrayList<>();
    for (JsonNode vkey : ex.get("vkeys")) {
      Ed25519NoteVerifier v = Ed25519NoteVerifier.parse(vkey.asText());
      assertThat(v.vkey()).isEqualTo(vkey.asText());
      keys.add(v);
    }
    List<Boolean> checked = new ArrayList<>();
    ex.get("checked").forEach(c -> checked.add(c.asBoolean()));

    if (keys.isEmpty()) {
      // Parse-only: no published key. With an unrelated trusted key the note must be refused.
      Ed25519NoteVerifier stranger =
          Ed25519NoteSigner.fromSeed("stranger.example", new byte[32]).verifier();
      assertThatThrownBy(() -> note.verify(List.of(stranger)))
          .isInstanceOfSatisfying(
              NoteVerificationException.class,
              e -> assertThat(e.id()).isEqualTo("note.no-trusted-signature"));
    } else if (checked.contains(false)) {
      assertThatThrownBy(() -> note.verify(keys))
          .isInstanceOfSatisfying(
              NoteVerificationException.class,
              e -> assertThat(e.id()).isEqualTo("note.bad-signature"));
    } else {
      VerifiedNote verified = note.verify(keys);
      assertThat(verified.verifiedSignatures()).hasSize(keys.size());
      assertThat(verified.text()).isEqualTo(note.text());
      // Each key alone also verifies the note (the others are then unknown and ignored).
      for (Ed25519NoteVerifier k : keys) {
        assertThat(note.verify(List.of(k)).verifiedSignatures()).hasSize(1);
      }
    }

    if (ex.has("skey_test_only")) {
      Ed25519NoteSigner signer = Ed25519NoteSigner.parse(ex.get("skey_test_only").asText());
      assertThat(signer.verifier()).isEqualTo(keys.get(0));
      assertThat(signer.toString()).doesNotContain("PRIVATE");
      // Ed25519 is deterministic: re-signing reproduces the published note exactly.
      SignedNote resigned = SignedNote.sign(note.text(), List.of(signer));
      assertThat(resigned.encode()).isEqualTo(note.encode());
    }

    if (note.text().lines().count() >= 3
        && note.text().lines().skip(1).findFirst().get().matches("[0-9]+")) {
      Checkpoint cp = Checkpoint.parse(note.text());
      assertThat(cp.toText()).isEqualTo(note.text());
    }
  }
}
