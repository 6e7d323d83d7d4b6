// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.arca.devstack.SoftHsm;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PKCS#11 KEK against a real token (SoftHSM2): it encrypts, and its key never leaves it. */
class Pkcs11KekClientTest {
  private static SoftHsm.Token token;
  private static Pkcs11KekClient client;

  @BeforeAll
  static void openToken() throws Exception {
    List<String> missing = SoftHsm.missingToolsForTests();
    assumeTrue(missing.isEmpty(), "SoftHSM2 tests need " + missing);
    token = SoftHsm.token();
    client = Pkcs11KekClient.open(token.library(), token.slotListIndex(), token.pinFile());
  }

  private static String label() {
    return "kek-" + UUID.randomUUID();
  }

  @Test
  void aKekCreatedInTheTokenWrapsAndUnwrapsBoundToItsAssociatedData() throws Exception {
    KeyEncryptionKey kek = client.create(label());
    byte[] aad = "model triage v3".getBytes(UTF_8);
    byte[] wrapped = kek.encrypt("data key".getBytes(UTF_8), aad);

    assertThat(new String(kek.decrypt(wrapped, aad), UTF_8)).isEqualTo("data key");
    assertThat(kek.encrypt("data key".getBytes(UTF_8), aad)).isNotEqualTo(wrapped); // fresh IV
    assertThatThrownBy(() -> kek.decrypt(wrapped, "model triage v4".getBytes(UTF_8)))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo(KekException.DECRYPT_FAILED));
    byte[] flipped = wrapped.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> kek.decrypt(flipped, aad))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo(KekException.DECRYPT_FAILED));
    assertThatThrownBy(() -> kek.decrypt(new byte[5], aad))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo(KekException.DECRYPT_FAILED));
  }

  @Test
  void theKekIsFoundAgainByAnotherSessionAndAnotherKeyCannotOpenItsWraps() throws Exception {
    String label = label();
    byte[] wrapped = client.create(label).encrypt(new byte[32], new byte[0]);
    Pkcs11KekClient reopened =
        Pkcs11KekClient.open(token.library(), token.slotListIndex(), token.pinFile());

    assertThat(reopened.getKek(Pkcs11KekClient.URI_PREFIX + label).decrypt(wrapped, new byte[0]))
        .isEqualTo(new byte[32]);
    KeyEncryptionKey other = client.create(label());
    assertThatThrownBy(() -> other.decrypt(wrapped, new byte[0]))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo(KekException.DECRYPT_FAILED));
    assertThatThrownBy(() -> client.getKek(Pkcs11KekClient.URI_PREFIX + "no-such-key"))
        .isInstanceOfSatisfying(
            KekException.class, e -> assertThat(e.id()).isEqualTo(KekException.UNKNOWN_URI));
    assertThatThrownBy(() -> client.create(label)).hasMessageContaining("already holds");
  }

  /**
   * Someone with this process's access to the token (its PIN) tries to get the key's bytes out: the
   * token answers none of the ways.
   */
  @Test
  void theKeysBytesCannotBeExportedFromTheToken() throws Exception {
    String label = label();
    client.create(label);
    KeyStore ks = token.openedAs("insider");
    SecretKey key = (SecretKey) ks.getKey(label, null);

    assertThat(key.getEncoded()).isNull();
    // The token's own attributes: CKA_SENSITIVE true, CKA_EXTRACTABLE false (so it cannot be
    // wrapped out under another key either).
    assertThat(key.toString()).contains("sensitive").contains("unextractable");
    assertThatThrownBy(
            () ->
                SecretKeyFactory.getInstance("AES", ks.getProvider())
                    .getKeySpec(key, SecretKeySpec.class))
        .hasMessageContaining("key bytes");
  }

  /**
   * A library or PIN file that cannot be used is a clear error naming it. (A wrong PIN cannot be
   * shown here: PKCS#11 keeps a login per process, and this JVM is already logged in.)
   */
  @Test
  void anUnusableLibraryOrPinFileIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> Pkcs11KekClient.open(dir.resolve("nope.so"), 0, token.pinFile()))
        .isInstanceOfSatisfying(KekException.class, e -> assertThat(e.id()).isEqualTo("kek.io"))
        .hasMessageContaining("nope.so");
    assertThatThrownBy(() -> Pkcs11KekClient.open(token.library(), 0, dir.resolve("absent")))
        .isInstanceOfSatisfying(KekException.class, e -> assertThat(e.id()).isEqualTo("kek.io"))
        .hasMessageContaining("PIN file");
  }
}
