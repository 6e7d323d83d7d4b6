// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** RFC 9162 section 2.1.1 hashing, checked against SHA-256 computed here. */
class MerkleHashesTest {
  static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  @Test
  void emptyLeafAndNodeHashesAreTheRfcDefinitions() throws Exception {
    byte[] l = {1, 2, 3};
    byte[] r = {4, 5};
    assertThat(MerkleHashes.emptyRoot()).isEqualTo(sha256());
    assertThat(MerkleHashes.leafHash(l)).isEqualTo(sha256(new byte[] {0}, l));
    assertThat(MerkleHashes.nodeHash(l, r)).isEqualTo(sha256(new byte[] {1}, l, r));
    assertThat(MerkleHashes.emptyRoot()).isEqualTo(sha256());
    assertThat(MerkleHashes.leafHash(new byte[0])).isEqualTo(sha256(new byte[] {0}));
  }

  @Test
  void aCallThatFailedHalfwayLeavesNothingBehindForTheNext() throws Exception {
    // The digest is shared per thread: a call that throws after hashing its prefix byte must not
    // leak that byte into the next hash.
    byte[] l = {1, 2, 3};
    assertThatThrownBy(() -> MerkleHashes.leafHash(null)).isInstanceOf(RuntimeException.class);
    assertThat(MerkleHashes.emptyRoot()).isEqualTo(sha256());
    assertThatThrownBy(() -> MerkleHashes.nodeHash(l, null)).isInstanceOf(RuntimeException.class);
    assertThat(MerkleHashes.nodeHash(l, l)).isEqualTo(sha256(new byte[] {1}, l, l));
    assertThatThrownBy(() -> MerkleHashes.nodeHash(null, l)).isInstanceOf(RuntimeException.class);
    assertThat(MerkleHashes.leafHash(l)).isEqualTo(sha256(new byte[] {0}, l));
  }
}
