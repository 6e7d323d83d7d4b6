// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.infer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.client.tensor.TensorFormatException;

/**
 * Fuzzes the decoding of inference requests, responses and problems, bare and in their Binary HTTP
 * framing (the plaintext inside OHTTP). Only {@link TensorFormatException} may come out.
 */
class InferenceMessagesFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) throws TensorFormatException {
    try {
      InferenceMessages.decodeRequest(input);
    } catch (TensorFormatException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
    try {
      InferenceMessages.decodeResponse(input);
    } catch (TensorFormatException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
    try {
      InferenceMessages.decodeProblem(input, 400);
    } catch (TensorFormatException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
    try {
      InferenceHttp.decodeAnswer(input);
    } catch (TensorFormatException expected) {
      // A typed refusal is the correct outcome for bad input.
    }
  }
}
