// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.infer;

import dev.arca.client.infer.InferenceMessages.Answer;
import dev.arca.client.infer.InferenceMessages.Refusal;
import dev.arca.client.infer.InferenceMessages.Response;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.crypto.bhttp.BhttpException;
import dev.arca.crypto.bhttp.BhttpRequest;
import dev.arca.crypto.bhttp.BhttpResponse;
import dev.arca.crypto.bhttp.BinaryHttp;
import dev.arca.crypto.bhttp.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Binary HTTP (RFC 9292) messages an inference exchange travels in: what Oblivious HTTP (RFC
 * 9458) encapsulates between an application and a runtime, as documented in {@code
 * docs/formats/inference.md}.
 *
 * <p>Request: {@code POST /v1/infer} with {@code content-type: application/json} and an {@link
 * InferenceMessages.Request} body. Answer: status 200 with {@code content-type: application/json}
 * and an {@link InferenceMessages.Response} body, or a refusal's 4xx/5xx status with {@code
 * content-type: application/problem+json}. Encoded in the known-length form (framing indicator 0
 * for requests, 1 for responses). Stateless.
 */
public final class InferenceHttp {
  /** The inner request's method. */
  public static final String METHOD = "POST";

  /** The inner request's path (the target resource behind the runtime's gateway). */
  public static final String PATH = "/v1/infer";

  /** The media type of requests and answers. */
  public static final String JSON = "application/json";

  /** The media type of refusals (RFC 9457). */
  public static final String PROBLEM_JSON = "application/problem+json";

  private InferenceHttp() {}

  /**
   * Encodes {@code request} as a known-length Binary HTTP request to {@code authority} (the
   * runtime's host and port as the application addresses it; the runtime does not route on it).
   */
  public static byte[] encodeRequest(InferenceMessages.Request request, String authority) {
    byte[] json = InferenceMessages.encode(request);
    try {
      return BinaryHttp.encode(
          new BhttpRequest(
              METHOD,
              "https",
              authority,
              PATH,
              List.of(Field.of("content-type", JSON)),
              json,
              List.of()));
    } finally {
      java.util.Arrays.fill(json, (byte) 0);
    }
  }

  /** The Binary HTTP response for an answer: 200 with the JSON, or the refusal's problem. */
  public static BhttpResponse answer(Answer answer) {
    if (answer instanceof Response r) {
      return BhttpResponse.of(
          200, List.of(Field.of("content-type", JSON)), InferenceMessages.encode(r));
    }
    return problem((Refusal) answer, List.of());
  }

  /**
   * The Binary HTTP response for a refusal, with {@code extra} fields after its content type (e.g.
   * {@code allow} on a 405).
   */
  public static BhttpResponse problem(Refusal refusal, List<Field> extra) {
    List<Field> fields = new ArrayList<>();
    fields.add(Field.of("content-type", PROBLEM_JSON));
    fields.addAll(extra);
    return BhttpResponse.of(refusal.status(), fields, InferenceMessages.encode(refusal));
  }

  /** {@link #answer(Answer)} encoded in the known-length form. */
  public static byte[] encodeAnswer(Answer answer) {
    return BinaryHttp.encode(answer(answer));
  }

  /**
   * Decodes the runtime's Binary HTTP answer (either framing).
   *
   * @throws TensorFormatException {@code infer.malformed-response} if it is not Binary HTTP, a 200
   *     that is not {@code application/json}, or an error status that is not {@code
   *     application/problem+json}; or a tensor's failure
   */
  public static Answer decodeAnswer(byte[] bhttp) throws TensorFormatException {
    BhttpResponse res;
    try {
      res = BinaryHttp.decodeResponse(bhttp);
    } catch (BhttpException e) {
      throw new TensorFormatException(
          "infer.malformed-response", "the answer is not Binary HTTP: " + e.getMessage());
    }
    String type = mediaType(res.fields()).orElse("");
    if (res.status() == 200 && type.equals(JSON)) {
      return InferenceMessages.decodeResponse(res.content());
    }
    if (res.status() >= 400 && type.equals(PROBLEM_JSON)) {
      return InferenceMessages.decodeProblem(res.content(), res.status());
    }
    throw new TensorFormatException(
        "infer.malformed-response",
        "the answer is HTTP " + res.status() + " with content type '" + type + "'");
  }

  /**
   * The media type of a message's {@code content-type} field: lowercased, without parameters; empty
   * when the field is missing. Field names compare case-insensitively.
   */
  public static Optional<String> mediaType(List<Field> fields) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase("content-type")) {
        String v = f.value();
        int semi = v.indexOf(';');
        return Optional.of((semi < 0 ? v : v.substring(0, semi)).trim().toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }
}
