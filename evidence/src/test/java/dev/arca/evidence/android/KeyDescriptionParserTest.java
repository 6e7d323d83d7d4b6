// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyDescriptionParserTest {
  private static byte[] vector() throws Exception {
    try (InputStream in =
        KeyDescriptionParserTest.class.getResourceAsStream(
            "KeyDescriptionFuzzTestInputs/fuzzKeyDescription/tee-keymaster4.der")) {
      return in.readAllBytes();
    }
  }

  private static void assertFailsWith(byte[] der, String id) {
    assertThatThrownBy(() -> KeyDescriptionParser.parse(der))
        .isInstanceOfSatisfying(
            EvidenceException.class, e -> assertThat(e.ids()).containsExactly(id));
  }

  @Test
  void parsesTheVectorsKeyDescription() throws Exception {
    KeyDescription d = KeyDescriptionParser.parse(vector());
    assertThat(d.attestationVersion()).isEqualTo(3);
    assertThat(d.attestationSecurityLevel()).isEqualTo(SecurityLevel.TRUSTED_ENVIRONMENT);
    assertThat(d.keymasterVersion()).isEqualTo(4);
    assertThat(d.attestationChallenge()).isEqualTo(new byte[] {'a', 'b', 'c'});
    assertThat(d.uniqueId()).isEmpty();
    RootOfTrust rot = d.hardwareEnforced().rootOfTrust().orElseThrow();
    assertThat(rot.deviceLocked()).isFalse();
    assertThat(rot.verifiedBootState()).isEqualTo(VerifiedBootState.UNVERIFIED);
    assertThat(d.hardwareEnforced().osPatchLevel().getAsLong()).isEqualTo(201907);
    assertThat(d.hardwareEnforced().otherTags()).containsEntry(503, "0500"); // noAuthRequired
    AttestationApplicationId app = d.softwareEnforced().attestationApplicationId().orElseThrow();
    assertThat(app.packages()).hasSize(13);
    assertThat(app.signatureDigests()).hasSize(1);
  }

  @Test
  void overLongOuterLengthIsTruncatedInput() throws Exception {
    byte[] der = vector();
    der[2] = (byte) 0xff; // 30 82 02 87 -> 30 82 ff 87: the input ends long before that
    assertFailsWith(der, "android.key-description.truncated");
  }

  @Test
  void overLongInnerLengthHasItsOwnId() throws Exception {
    byte[] der = vector();
    // The challenge OCTET STRING (04 03 'abc') now claims 0x7f bytes.
    assertThat(der[16]).isEqualTo((byte) 0x04);
    der[17] = 0x7f;
    assertFailsWith(der, "android.key-description.length-too-large");
  }

  @Test
  void hugeLengthFieldIsRejectedBeforeAnyAllocation() {
    byte[] der = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01};
    assertFailsWith(der, "android.key-description.length-too-large");
    byte[] eightLengthBytes = {0x30, (byte) 0x88, 1, 2, 3, 4, 5, 6, 7, 8};
    assertFailsWith(eightLengthBytes, "android.key-description.length-too-large");
  }

  @Test
  void truncatedStructureHasItsOwnId() throws Exception {
    byte[] der = vector();
    for (int cut : new int[] {0, 1, 3, 20, der.length - 1}) {
      assertFailsWith(Arrays.copyOf(der, cut), "android.key-description.truncated");
    }
  }

  @Test
  void trailingBytesAndWrongTypesAreMalformed() throws Exception {
    byte[] der = vector();
    byte[] trailing = Arrays.copyOf(der, der.length + 2);
    assertFailsWith(trailing, "android.key-description.malformed");
    byte[] notSequence = der.clone();
    notSequence[0] = 0x31; // SET instead of SEQUENCE
    assertFailsWith(notSequence, "android.key-description.malformed");
    byte[] badLevel = der.clone();
    assertThat(badLevel[9]).isEqualTo((byte) 0x01);
    badLevel[9] = 0x07; // attestationSecurityLevel 7 does not exist
    assertFailsWith(badLevel, "android.key-description.malformed");
    byte[] deep = new byte[120]; // 60 nested SEQUENCEs, each exactly filling its parent
    for (int i = 0; i < deep.length; i += 2) {
      deep[i] = 0x30;
      deep[i + 1] = (byte) (deep.length - i - 2);
    }
    assertFailsWith(deep, "android.key-description.malformed");
  }
}
