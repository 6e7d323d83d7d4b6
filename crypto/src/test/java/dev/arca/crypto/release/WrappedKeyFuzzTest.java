// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.SealException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Fuzzes what a runtime receives in a key release: {@link WrappedKey#decode}, then {@link
 * KeyRelease#unwrap} with the runtime's key. Input: raw bytes, or a valid wrapped key with
 * fuzzer-chosen bytes overwritten, then optionally cut or extended. Only {@link HpkeException} and
 * {@link SealException} may come out; what decodes encodes back to the same bytes; and only the
 * genuine wrapped key opens (HPKE authenticates the suite's key schedule, enc and ciphertext), to
 * the genuine data key.
 */
class WrappedKeyFuzzTest {
  private static final HpkePrivateKey RUNTIME;
  private static final KeyReleaseInfo INFO = KeyReleaseInfo.of("grant", "model", 1, new byte[32]);
  private static final DataKey KEY = DataKey.generate();
  private static final byte[] VALID;

  static {
    try {
      RUNTIME = HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, new SecureRandom());
      VALID = KeyRelease.wrap(KEY, RUNTIME.publicKey(), INFO, new SecureRandom()).encode();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void decode(FuzzedDataProvider data) throws SealException {
    byte[] input;
    if (data.consumeBoolean()) {
      input = VALID.clone();
      int edits = data.consumeInt(1, 4);
      for (int i = 0; i < edits; i++) {
        input[data.consumeInt(0, input.length - 1)] = data.consumeByte();
      }
      if (data.consumeBoolean()) {
        input = Arrays.copyOf(input, data.consumeInt(0, input.length + 8));
      }
    } else {
      input = data.consumeRemainingAsBytes();
    }
    WrappedKey wrapped;
    try {
      wrapped = WrappedKey.decode(input);
    } catch (HpkeException e) {
      return; // a typed refusal is the correct outcome for bad input
    }
    assertThat(wrapped.encode()).isEqualTo(input);
    DataKey opened;
    try {
      opened = KeyRelease.unwrap(wrapped, RUNTIME, INFO);
    } catch (HpkeException | SealException e) {
      return;
    }
    assertThat(input).isEqualTo(VALID);
    assertThat(opened.sameKeyAs(KEY)).isTrue();
  }
}
