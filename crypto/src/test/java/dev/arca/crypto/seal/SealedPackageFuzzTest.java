// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.crypto.sign.PublisherSigningKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Random;

/**
 * Fuzzes the sealed package reader (magic, lengths, manifest JSON, signature, key check,
 * ciphertext): either raw bytes, or a valid package with fuzzer-chosen bytes overwritten and an
 * optional truncation. Only {@link SealException} may come out; anything else is a finding.
 */
class SealedPackageFuzzTest {
  private static final PublisherKeyRing RING;
  private static final DataKey KEY = DataKey.generate();
  private static final byte[] VALID;

  static {
    try {
      PublisherSigningKey signer = PublisherSigningKey.generate(SignatureAlgorithm.ED25519, "fz");
      RING = PublisherKeyRing.of(signer.publicKey());
      byte[] model = new byte[2000];
      new Random(1).nextBytes(model);
      VALID = TestModels.seal(TestModels.manifestFor(model, "fz"), signer, KEY, model);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "12s")
  void fuzz(FuzzedDataProvider data) throws Exception {
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
    PlaintextCheck check = input.length % 2 == 0 ? PlaintextCheck.SHA256 : PlaintextCheck.AEAD_ONLY;
    try {
      SealedModelReader reader =
          SealedModel.read(Channels.newChannel(new ByteArrayInputStream(input)), RING);
      reader.decrypt(KEY, null, check).close();
    } catch (SealException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
