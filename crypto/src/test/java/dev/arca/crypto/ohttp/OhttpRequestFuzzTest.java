// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes gateway request decapsulation (RFC 9458 section 4.3) with the Appendix A key: raw bytes or
 * the Appendix A request with fuzzer-chosen edits. Only {@link OhttpException} may come out.
 */
class OhttpRequestFuzzTest {
  private static final OhttpGateway GATEWAY =
      OhttpGateway.of(OhttpFuzzFixtures.CONFIG, OhttpFuzzFixtures.SKR);

  @FuzzTest(maxDuration = "12s")
  void fuzz(FuzzedDataProvider data) {
    byte[] input;
    if (data.consumeBoolean()) {
      input = OhttpFuzzFixtures.REQUEST.clone();
      int edits = data.consumeInt(1, 3);
      for (int i = 0; i < edits; i++) {
        input[data.consumeInt(0, input.length - 1)] = data.consumeByte();
      }
    } else {
      input = data.consumeRemainingAsBytes();
    }
    try {
      GATEWAY.decapsulateRequest(input).wipe();
    } catch (OhttpException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
