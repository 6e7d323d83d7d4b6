// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import dev.arca.client.infer.InferenceHttp;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceMessages.Refusal;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.crypto.Secrets;
import dev.arca.crypto.bhttp.BhttpException;
import dev.arca.crypto.bhttp.BhttpRequest;
import dev.arca.crypto.bhttp.BinaryHttp;
import dev.arca.crypto.bhttp.Field;
import java.util.List;

/**
 * The target resource behind the runtime's Oblivious HTTP gateway: takes a decapsulated Binary HTTP
 * request (RFC 9292, either framing), routes it by method and path, and returns the Binary HTTP
 * response to encapsulate (known-length form). Only {@code POST /v1/infer} with an {@code
 * application/json} body exists; every other outcome is a refusal with a status and {@code
 * application/problem+json} inside the encryption: 400 for a message that is not Binary HTTP
 * ({@code bhttp.*}) or not an inference request, 404 {@code infer.not-found} for another path, 405
 * {@code infer.method-not-allowed} (with {@code allow: POST}), 415 {@code
 * infer.unsupported-media-type}, 413 {@code infer.too-large}, then whatever {@link
 * InferenceHandler} answers. The request's scheme and authority are not used (the runtime is the
 * only target). Thread-safe.
 */
public final class InferenceTarget {
  private final InferenceHandler handler;

  public InferenceTarget(InferenceHandler handler) {
    this.handler = handler;
  }

  /** Serves one decapsulated request; returns the Binary HTTP response. Never throws. */
  public byte[] serve(byte[] bhttpRequest) {
    BhttpRequest request;
    try {
      request = BinaryHttp.decodeRequest(bhttpRequest);
    } catch (BhttpException e) {
      return refuse(new Refusal(e.id(), e.getMessage(), 400));
    }
    String path = request.path();
    int query = path.indexOf('?');
    if (!(query < 0 ? path : path.substring(0, query)).equals(InferenceHttp.PATH)) {
      return refuse(
          new Refusal("infer.not-found", "the runtime serves only " + InferenceHttp.PATH));
    }
    if (!request.method().equals(InferenceHttp.METHOD)) {
      return BinaryHttp.encode(
          InferenceHttp.problem(
              new Refusal(
                  "infer.method-not-allowed",
                  InferenceHttp.PATH
                      + " takes "
                      + InferenceHttp.METHOD
                      + ", not "
                      + request.method()),
              List.of(Field.of("allow", InferenceHttp.METHOD))));
    }
    String type = InferenceHttp.mediaType(request.fields()).orElse("");
    if (!type.equals(InferenceHttp.JSON)) {
      return refuse(
          new Refusal(
              "infer.unsupported-media-type",
              "the request's content type must be " + InferenceHttp.JSON + ", got '" + type + "'"));
    }
    byte[] content = request.content();
    try {
      if (content.length > InferenceMessages.MAX_BYTES) {
        return refuse(
            new Refusal(
                "infer.too-large",
                "the request content is larger than " + InferenceMessages.MAX_BYTES + " bytes"));
      }
      InferenceMessages.Request decoded;
      try {
        decoded = InferenceMessages.decodeRequest(content);
      } catch (TensorFormatException e) {
        return refuse(new Refusal(e.id(), e.getMessage()));
      }
      return InferenceHttp.encodeAnswer(handler.handle(decoded));
    } finally {
      Secrets.wipe(content);
    }
  }

  private static byte[] refuse(Refusal refusal) {
    return InferenceHttp.encodeAnswer(refusal);
  }
}
