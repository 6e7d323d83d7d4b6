// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What of {@link Tpm2Tools} needs no TPM. Its commands against a real (software) TPM are tested in
 * {@code devstack}'s {@code Tpm2ToolsOnSwtpmTest}, next to the swtpm launcher (docs/architecture.md
 * says why they cannot live here).
 */
class Tpm2ToolsTest {

  @Test
  void credentialFileHasTheTpm2ToolsLayout() {
    byte[] f = Tpm2Tools.credentialFile(new byte[] {9, 9}, new byte[] {7});
    assertThat(f).containsExactly(0xba, 0xdc, 0xc0, 0xde, 0, 0, 0, 1, 0, 2, 9, 9, 0, 1, 7);
  }
}
