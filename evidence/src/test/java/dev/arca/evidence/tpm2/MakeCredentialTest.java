// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Input checks of {@link MakeCredential}. That the TPM accepts its output is proven against swtpm
 * in {@link Tpm2SwtpmTest} (RSA and ECC EKs).
 */
class MakeCredentialTest {
  private static final Path GCP_AK = Path.of("src/test/resources/vectors/tpm/ak_tpmt_public.bin");

  @Test
  void aSigningKeyIsNotAnEndorsementKey() throws Exception {
    TpmtPublic signingKey = TpmtPublic.parse(Files.readAllBytes(GCP_AK));
    assertThatThrownBy(
            () ->
                MakeCredential.make(
                    signingKey, signingKey.name(), new byte[] {1}, new SecureRandom()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("not AES-CFB");
  }

  @Test
  void kdfaLabelGetsOneTerminatingZero() {
    assertThat(Kdf.nulTerminated("IDENTITY")).endsWith(0).hasSize(9);
    assertThat(Kdf.nulTerminated("IDENTITY\0")).hasSize(9);
  }

  @Test
  void kdfaIsDeterministicAndSizedInBits() {
    byte[] a = Kdf.kdfa(TpmAlg.SHA256, new byte[32], "STORAGE", new byte[] {1}, new byte[0], 128);
    byte[] b = Kdf.kdfa(TpmAlg.SHA256, new byte[32], "STORAGE", new byte[] {1}, new byte[0], 128);
    byte[] c = Kdf.kdfa(TpmAlg.SHA256, new byte[32], "STORAGE", new byte[] {2}, new byte[0], 128);
    assertThat(a).hasSize(16).isEqualTo(b).isNotEqualTo(c);
    assertThat(Kdf.kdfa(TpmAlg.SHA256, new byte[32], "INTEGRITY", new byte[0], new byte[0], 512))
        .hasSize(64);
  }

  @Test
  void credentialToStringShowsNoBytes() {
    MakeCredential.Credential c = new MakeCredential.Credential(new byte[] {9, 9}, new byte[] {7});
    assertThat(c.toString()).doesNotContain("9, 9").contains("2 B");
  }
}
