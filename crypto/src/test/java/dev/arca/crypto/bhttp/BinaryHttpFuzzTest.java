// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the Binary HTTP decoder (requests and responses). Property: a decoded message re-encodes
 * (known-length) to bytes that decode to an equal message. Only {@link BhttpException} may come
 * out.
 */
class BinaryHttpFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) throws BhttpException {
    try {
      BhttpRequest r = BinaryHttp.decodeRequest(input);
      if (!BinaryHttp.decodeRequest(BinaryHttp.encode(r)).equals(r)) {
        throw new AssertionError("request does not round-trip");
      }
    } catch (BhttpException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
    try {
      BhttpResponse r = BinaryHttp.decodeResponse(input);
      if (!BinaryHttp.decodeResponse(BinaryHttp.encode(r)).equals(r)) {
        throw new AssertionError("response does not round-trip");
      }
    } catch (BhttpException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
