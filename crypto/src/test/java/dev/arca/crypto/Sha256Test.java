// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The FIPS 180-4 example "abc" and the empty message, one-shot and in parts. */
class Sha256Test {
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void hashesTheStandardExamples() {
    assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
    assertThat(Sha256.hex(new byte[0])).isEqualTo(EMPTY);
    assertThat(Sha256.hash(new byte[0])).hasSize(Sha256.LENGTH);
  }

  @Test
  void aDigestFedInPartsEqualsTheOneShotHash() {
    var digest = Sha256.newDigest();
    digest.update("a".getBytes(StandardCharsets.US_ASCII));
    digest.update("bc".getBytes(StandardCharsets.US_ASCII));
    assertThat(digest.digest()).isEqualTo(Sha256.hash("abc".getBytes(StandardCharsets.US_ASCII)));
    assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
  }
}
