// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.arca.crypto.kek.KeyEncryptionKey;
import dev.arca.devstack.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the service's KEK is chosen by {@code arca.kek.*}: local keyset or HSM, never a guess. */
class ServiceKekTest {
  @TempDir Path data;

  @Test
  void anHsmKekIsCreatedInTheTokenOnFirstStartAndFoundThereAfter() throws Exception {
    List<String> missing = SoftHsm.missingToolsForTests();
    assumeTrue(missing.isEmpty(), "the HSM KEK test needs " + missing);
    SoftHsm.Token token = SoftHsm.token();
    String uri = "pkcs11:object=service-" + UUID.randomUUID();
    Optional<String> library = Optional.of(token.library().toString());
    Optional<String> pin = Optional.of(token.pinFile().toString());

    KeyEncryptionKey first = ServiceKeys.kek(data.toString(), uri, library, 0, pin);
    byte[] wrapped = first.encrypt("data key".getBytes(UTF_8), new byte[0]);
    KeyEncryptionKey restarted = ServiceKeys.kek(data.toString(), uri, library, 0, pin);

    assertThat(restarted.decrypt(wrapped, new byte[0])).isEqualTo("data key".getBytes(UTF_8));
    assertThat(data.resolve("keys")).doesNotExist(); // no keyset, no master key on the host
  }

  @Test
  void anHsmKekWithoutItsLibraryOrPinFileIsRefusedNamingTheSettings() {
    assertThatThrownBy(
            () ->
                ServiceKeys.kek(
                    data.toString(), "pkcs11:object=k", Optional.empty(), 0, Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("arca.kek.pkcs11.library")
        .hasMessageContaining("arca.kek.pkcs11.pin-file");
  }

  @Test
  void aKekUriOfNoKnownKindIsRefused() {
    assertThatThrownBy(
            () ->
                ServiceKeys.kek(
                    data.toString(), "vault://k", Optional.empty(), 0, Optional.empty()))
        .hasMessageContaining("pkcs11:object=<label>");
  }

  @Test
  void theDefaultIsALocalKeysetUnderTheMasterKey() throws Exception {
    KeyEncryptionKey kek =
        ServiceKeys.kek(
            data.toString(), "arca-local-kek://service", Optional.empty(), 0, Optional.empty());
    assertThat(kek.decrypt(kek.encrypt(new byte[] {1}, new byte[0]), new byte[0]))
        .containsExactly(1);
    assertThat(Files.exists(data.resolve("keys/service.kek.json"))).isTrue();
  }
}
