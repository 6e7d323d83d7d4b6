// SPDX-License-Identifier: Apache-2.0
package dev.arca.client.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorProtoCodec;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON bodies of an encrypted inference exchange, as documented in {@code
 * docs/formats/inference.md}; {@link InferenceHttp} carries them in the Binary HTTP messages that
 * Oblivious HTTP encapsulates.
 *
 * <p>Request ({@code application/json}): {@code {"model": id, "dataClass": c, "purpose": p,
 * "inputs": {name: base64(TensorProto)}}}. Answer ({@code application/json}, status 200): {@code
 * {"model": id, "version": n, "outputs": {name: base64(TensorProto)}}}. Refusal ({@code
 * application/problem+json}, RFC 9457, status 4xx/5xx): {@code {"type":
 * "https://arca.dev/problems/runtime/<id>", "title": id, "status": s, "detail": text}}. Tensors are
 * ONNX TensorProto messages with {@code raw_data}, so any ONNX tool can produce and read them.
 */
public final class InferenceMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No plaintext message is larger than this. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  private InferenceMessages() {}

  /** Problem types of refusals are this prefix followed by the refusal's stable id. */
  public static final String PROBLEM_TYPE_BASE = "https://arca.dev/problems/runtime/";

  /** What the runtime answers to a request: a {@link Response} or a {@link Refusal}. */
  public sealed interface Answer permits Response, Refusal {}

  /** An inference request. Immutable. */
  public record Request(
      String modelId, String dataClass, String purpose, Map<String, Tensor> inputs) {
    public Request {
      inputs = Map.copyOf(inputs);
    }
  }

  /** A successful answer. Immutable. */
  public record Response(String modelId, long version, Map<String, Tensor> outputs)
      implements Answer {
    public Response {
      outputs = Map.copyOf(outputs);
    }
  }

  /**
   * A refusal, with a stable id (e.g. {@code lease.data-class-not-granted}) and the HTTP status it
   * is answered with inside the encryption.
   */
  public record Refusal(String id, String message, int status) implements Answer {
    public Refusal {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("a refusal's status is 4xx or 5xx, not " + status);
      }
    }

    /** A refusal with the status {@link #statusFor(String)} assigns to {@code id}. */
    public Refusal(String id, String message) {
      this(id, message, statusFor(id));
    }

    /**
     * The status of each refusal id (the table in {@code docs/formats/inference.md}): 404 for what
     * is not served, 403 for what the grant does not cover, 405/413/415 for the inner HTTP request,
     * 422 for inputs the model cannot take, 429 for the rate limit, 503 while the runtime's lease
     * is over or refused, 500 for a model that fails, 400 for everything malformed.
     */
    public static int statusFor(String id) {
      return switch (id) {
        case "infer.unknown-model", "infer.not-found" -> 404;
        case "lease.data-class-not-granted" -> 403;
        case "infer.method-not-allowed" -> 405;
        case "infer.too-large" -> 413;
        case "infer.unsupported-media-type" -> 415;
        case "infer.tensor-mismatch", "tensor.rejected-by-model" -> 422;
        case "infer.rate-limited" -> 429;
        case "infer.model-failed" -> 500;
        case "lease.expired", "lease.refused" -> 503;
        default -> 400;
      };
    }
  }

  public static byte[] encode(Request r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", r.modelId());
    n.put("dataClass", r.dataClass());
    n.put("purpose", r.purpose());
    putTensors(n.putObject("inputs"), r.inputs());
    return bytes(n);
  }

  public static byte[] encode(Response r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", r.modelId());
    n.put("version", r.version());
    putTensors(n.putObject("outputs"), r.outputs());
    return bytes(n);
  }

  /** A refusal as {@code application/problem+json} (RFC 9457). */
  public static byte[] encode(Refusal r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", PROBLEM_TYPE_BASE + r.id());
    n.put("title", r.id());
    n.put("status", r.status());
    n.put("detail", r.message());
    return bytes(n);
  }

  /**
   * Decodes an inference request.
   *
   * @throws TensorFormatException {@code infer.malformed-request} or a tensor's failure
   */
  public static Request decodeRequest(byte[] bytes) throws TensorFormatException {
    JsonNode n = parse(bytes, "infer.malformed-request");
    return new Request(
        text(n, "model", "infer.malformed-request"),
        text(n, "dataClass", "infer.malformed-request"),
        n.path("purpose").asText(""),
        tensors(n.get("inputs"), "infer.malformed-request"));
  }

  /**
   * Decodes a successful answer's body.
   *
   * @throws TensorFormatException {@code infer.malformed-response} or a tensor's failure
   */
  public static Response decodeResponse(byte[] bytes) throws TensorFormatException {
    JsonNode n = parse(bytes, "infer.malformed-response");
    if (!n.path("version").canConvertToLong()) {
      throw new TensorFormatException("infer.malformed-response", "'version' is not a number");
    }
    return new Response(
        text(n, "model", "infer.malformed-response"),
        n.get("version").asLong(),
        tensors(n.get("outputs"), "infer.malformed-response"));
  }

  /**
   * Decodes a refusal's {@code application/problem+json} body answered with {@code status}. The id
   * is the problem type after {@link #PROBLEM_TYPE_BASE}; a problem of another type keeps its whole
   * type as id.
   *
   * @throws TensorFormatException {@code infer.malformed-response} if it is not a problem object
   */
  public static Refusal decodeProblem(byte[] bytes, int status) throws TensorFormatException {
    JsonNode n = parse(bytes, "infer.malformed-response");
    String type = text(n, "type", "infer.malformed-response");
    String id =
        type.startsWith(PROBLEM_TYPE_BASE) && type.length() > PROBLEM_TYPE_BASE.length()
            ? type.substring(PROBLEM_TYPE_BASE.length())
            : type;
    if (status < 400 || status > 599) {
      throw new TensorFormatException(
          "infer.malformed-response", "a problem answered with status " + status);
    }
    return new Refusal(id, n.path("detail").asText(""), status);
  }

  private static void putTensors(ObjectNode into, Map<String, Tensor> tensors) {
    Base64.Encoder b64 = Base64.getEncoder();
    tensors.forEach((name, t) -> into.put(name, b64.encodeToString(TensorProtoCodec.encode(t))));
  }

  private static Map<String, Tensor> tensors(JsonNode node, String id)
      throws TensorFormatException {
    if (node == null || !node.isObject()) {
      throw new TensorFormatException(id, "the tensors must be an object of name: base64");
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      byte[] proto;
      try {
        proto = Base64.getDecoder().decode(e.getValue().asText());
      } catch (IllegalArgumentException ex) {
        throw new TensorFormatException(id, "tensor '" + e.getKey() + "' is not base64");
      }
      out.put(e.getKey(), TensorProtoCodec.decode(proto, e.getKey()).named(e.getKey()));
    }
    return out;
  }

  private static JsonNode parse(byte[] bytes, String id) throws TensorFormatException {
    if (bytes.length > MAX_BYTES) {
      throw new TensorFormatException(id, "the message is larger than " + MAX_BYTES + " bytes");
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw new TensorFormatException(id, "the message is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new TensorFormatException(id, "the message is not valid JSON");
    }
  }

  private static String text(JsonNode n, String field, String id) throws TensorFormatException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new TensorFormatException(id, "'" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an inference message", e);
    }
  }
}
