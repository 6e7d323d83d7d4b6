// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.crypto.FixedRandom;
import dev.arca.crypto.hpke.HpkeAead;
import dev.arca.crypto.hpke.HpkeKdf;

/**
 * Fuzzes client response decapsulation (RFC 9458 section 4.4) for the Appendix A request: raw bytes
 * or the Appendix A response with fuzzer-chosen edits. Only {@link OhttpException} may come out.
 */
class OhttpResponseFuzzTest {
  @FuzzTest(maxDuration = "12s")
  void fuzz(FuzzedDataProvider data) throws OhttpException {
    OhttpClient.Request request =
        OhttpClient.encapsulateRequest(
            OhttpFuzzFixtures.CONFIG,
            HpkeKdf.HKDF_SHA256,
            HpkeAead.AES_128_GCM,
            OhttpFuzzFixtures.REQUEST_BHTTP,
            new FixedRandom(OhttpFuzzFixtures.SKE));
    byte[] input;
    if (data.consumeBoolean()) {
      input = OhttpFuzzFixtures.RESPONSE.clone();
      input[data.consumeInt(0, input.length - 1)] = data.consumeByte();
      if (data.consumeBoolean()) {
        input = java.util.Arrays.copyOf(input, data.consumeInt(0, input.length + 4));
      }
    } else {
      input = data.consumeRemainingAsBytes();
    }
    try {
      request.decapsulateResponse(input);
    } catch (OhttpException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
