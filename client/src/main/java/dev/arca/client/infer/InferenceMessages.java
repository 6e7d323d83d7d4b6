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
 * The plaintext of an encrypted inference exchange (what travels inside Oblivious HTTP), as
 * documented in {@code docs/formats/inference.md}.
 *
 * <p>Request: {@code {"model": id, "dataClass": c, "purpose": p, "inputs": {name:
 * base64(TensorProto)}}}. Response: {@code {"model": id, "version": n, "outputs": {name:
 * base64(TensorProto)}}} or {@code {"error": {"id": stable-id, "message": text}}}. Tensors are ONNX
 * TensorProto messages with {@code raw_data}, so any ONNX tool can produce and read them.
 */
public final class InferenceMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No plaintext message is larger than this. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  private InferenceMessages() {}

  /** An inference request. Immutable. */
  public record Request(
      String modelId, String dataClass, String purpose, Map<String, Tensor> inputs) {
    public Request {
      inputs = Map.copyOf(inputs);
    }
  }

  /** A successful answer. Immutable. */
  public record Response(String modelId, long version, Map<String, Tensor> outputs) {
    public Response {
      outputs = Map.copyOf(outputs);
    }
  }

  /** A refusal, with a stable id (e.g. {@code lease.data-class-not-granted}). */
  public record Refusal(String id, String message) {}

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

  public static byte[] encode(Refusal r) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("id", r.id());
    e.put("message", r.message());
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
   * Decodes a response.
   *
   * @return a {@link Response} or a {@link Refusal}
   * @throws TensorFormatException {@code infer.malformed-response} or a tensor's failure
   */
  public static Object decodeResponse(byte[] bytes) throws TensorFormatException {
    JsonNode n = parse(bytes, "infer.malformed-response");
    if (n.has("error")) {
      JsonNode e = n.get("error");
      return new Refusal(e.path("id").asText("infer.error"), e.path("message").asText(""));
    }
    if (!n.path("version").canConvertToLong()) {
      throw new TensorFormatException("infer.malformed-response", "'version' is not a number");
    }
    return new Response(
        text(n, "model", "infer.malformed-response"),
        n.get("version").asLong(),
        tensors(n.get("outputs"), "infer.malformed-response"));
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
