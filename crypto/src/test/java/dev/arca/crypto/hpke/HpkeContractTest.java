// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The contract Arca's HPKE API adds around Bouncy Castle's RFC 9180 core: typed errors for every
 * refusal, the sequence number kept on a failed open, role and destroy checks, export-only suites.
 */
class HpkeContractTest {
  private static final HpkeKem KEM = HpkeKem.DHKEM_X25519_HKDF_SHA256;
  private static final byte[] INFO = {1, 2, 3};
  private final SecureRandom random = new SecureRandom();

  private static void assertId(ThrowingCallable call, String id) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(HpkeException.class, e -> assertThat(e.id()).isEqualTo(id));
  }

  @Test
  void failedOpenKeepsTheSequenceNumber() throws Exception {
    Hpke hpke = Hpke.of(HpkeSuite.X25519_SHA256_AES256GCM);
    HpkePrivateKey skR = HpkeKeyPair.generate(KEM, random);
    Hpke.Sender s = hpke.setupBaseSender(skR.publicKey(), INFO, random);
    HpkeContext r = hpke.setupBaseRecipient(s.enc(), skR, INFO);
    byte[] first = s.context().seal(new byte[0], new byte[] {1});
    byte[] second = s.context().seal(new byte[0], new byte[] {2});
    byte[] tampered = first.clone();
    tampered[0] ^= 1;
    assertId(() -> r.open(new byte[0], tampered), HpkeException.OPEN_FAILED);
    assertId(() -> r.open(new byte[0], second), HpkeException.OPEN_FAILED); // needs seq 1
    assertThat(r.open(new byte[0], first)).containsExactly(1);
    assertThat(r.open(new byte[0], second)).containsExactly(2);
  }

  @Test
  void eachSideOnlyDoesItsOwnJobAndNothingAfterDestroy() throws Exception {
    Hpke hpke = Hpke.of(HpkeSuite.X25519_SHA256_CHACHA20POLY1305);
    HpkePrivateKey skR = HpkeKeyPair.generate(KEM, random);
    Hpke.Sender s = hpke.setupBaseSender(skR.publicKey(), INFO, random);
    HpkeContext r = hpke.setupBaseRecipient(s.enc(), skR, INFO);
    assertId(() -> r.seal(new byte[0], new byte[1]), HpkeException.BAD_KEY);
    assertId(() -> s.context().open(new byte[0], new byte[17]), HpkeException.BAD_KEY);
    assertId(() -> r.export(new byte[0], 255 * 32 + 1), HpkeException.BAD_KEY);

    r.destroy();
    assertThat(r.isDestroyed()).isTrue();
    assertThat(r.toString()).contains("redacted");
    assertId(() -> r.open(new byte[0], new byte[17]), HpkeException.BAD_KEY);
    assertId(() -> r.export(new byte[0], 32), HpkeException.BAD_KEY);
    skR.destroy();
    assertId(() -> hpke.setupBaseRecipient(s.enc(), skR, INFO), HpkeException.BAD_KEY);
  }

  @Test
  void exportOnlySuiteExportsButNeverSealsOrOpens() throws Exception {
    Hpke hpke = Hpke.of(HpkeSuite.of(KEM, HpkeKdf.HKDF_SHA256, HpkeAead.EXPORT_ONLY));
    HpkePrivateKey skR = HpkeKeyPair.generate(KEM, random);
    Hpke.Sender s = hpke.setupBaseSender(skR.publicKey(), INFO, random);
    HpkeContext r = hpke.setupBaseRecipient(s.enc(), skR, INFO);
    assertThat(r.export(INFO, 42)).hasSize(42).isEqualTo(s.context().export(INFO, 42));
    assertId(() -> s.context().seal(new byte[0], new byte[1]), HpkeException.EXPORT_ONLY);
    assertId(() -> r.open(new byte[0], new byte[16]), HpkeException.EXPORT_ONLY);
  }

  @Test
  void pskInputsAreCheckedBeforeBouncyCastleSeesThem() throws Exception {
    Hpke hpke = Hpke.of(HpkeSuite.X25519_SHA256_AES128GCM);
    HpkePrivateKey skR = HpkeKeyPair.generate(KEM, random);
    Hpke.ModeInputs noPsk = Hpke.ModeInputs.psk(new byte[0], new byte[] {1});
    Hpke.ModeInputs noId = Hpke.ModeInputs.psk(new byte[32], new byte[0]);
    for (Hpke.ModeInputs bad : new Hpke.ModeInputs[] {noPsk, noId}) {
      assertId(() -> hpke.setupSender(skR.publicKey(), INFO, bad, random), HpkeException.BAD_PSK);
      assertId(() -> hpke.setupRecipient(new byte[32], skR, INFO, bad), HpkeException.BAD_PSK);
    }
  }

  @Test
  void smallOrderKeysAreBadEncapsulations() throws Exception {
    Hpke hpke = Hpke.of(HpkeSuite.X25519_SHA256_AES256GCM);
    HpkePublicKey zero = HpkePublicKey.of(KEM, new byte[32]);
    assertId(() -> hpke.setupBaseSender(zero, INFO, random), HpkeException.BAD_ENCAPSULATION);
    HpkePrivateKey skR = HpkeKeyPair.generate(KEM, random);
    HpkePrivateKey skS = HpkeKeyPair.generate(KEM, random);
    Hpke.Sender s =
        hpke.setupSender(skR.publicKey(), INFO, Hpke.ModeInputs.authSender(skS), random);
    assertId(
        () -> hpke.setupRecipient(s.enc(), skR, INFO, Hpke.ModeInputs.authRecipient(zero)),
        HpkeException.BAD_ENCAPSULATION);
  }

  @Test
  void oneShotAeadChecksItsInputs() throws Exception {
    HpkeAead aead = HpkeAead.AES_128_GCM;
    byte[] key = new byte[16];
    byte[] nonce = new byte[12];
    byte[] ct = AeadCipher.seal(aead, key, nonce, new byte[0], new byte[] {7});
    assertThat(AeadCipher.open(aead, key, nonce, new byte[0], ct)).containsExactly(7);
    assertId(
        () -> AeadCipher.open(aead, key, nonce, new byte[] {1}, ct), HpkeException.OPEN_FAILED);
    assertId(
        () -> AeadCipher.open(aead, key, nonce, new byte[0], new byte[15]),
        HpkeException.OPEN_FAILED);
    assertId(
        () -> AeadCipher.seal(aead, new byte[32], nonce, new byte[0], new byte[1]),
        HpkeException.BAD_KEY);
    assertId(
        () -> AeadCipher.seal(aead, key, new byte[8], new byte[0], new byte[1]),
        HpkeException.BAD_KEY);
    assertId(
        () -> AeadCipher.seal(HpkeAead.EXPORT_ONLY, key, nonce, new byte[0], new byte[1]),
        HpkeException.EXPORT_ONLY);
  }
}
