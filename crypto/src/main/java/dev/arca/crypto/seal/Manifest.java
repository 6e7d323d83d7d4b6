// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The signed description of a sealed model (docs/formats/sealed-model.md, "Manifest"): model id,
 * monotonic version, plaintext SHA-256 and size, input/output tensors, allowed data classes, the
 * publisher's labels (optional), minimum runtime version, creation time and publisher key id.
 * Immutable.
 *
 * <p>A manifest has exactly one byte form: canonical JSON (fixed member order, no whitespace).
 * {@link #parse} accepts only that form, so the bytes that were signed, the bytes hashed into the
 * ciphertext's associated data and the values a verifier acts on cannot diverge.
 */
// hashCode uses digest, the SHA-256 of encoded, which equals compares: equal manifests hash
// equally.
@SuppressWarnings("InconsistentHashCode")
public final class Manifest {
  /** The value of the {@code format} member of a version 1 manifest. */
  public static final String FORMAT = "arca.sealed-model.manifest/v1";

  /** The streaming AEAD of the ciphertext, fixed for format version 1. */
  public static final String CIPHER = "AES256_GCM_HKDF_1MB";

  /** Largest manifest accepted, in bytes. */
  public static final int MAX_ENCODED_LENGTH = 1 << 20;

  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern DATA_CLASS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern RUNTIME_VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+-]{0,63}");
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[\\x20-\\x7e]{0,256}");
  private static final int MAX_LABELS = 32;
  private static final List<String> MEMBERS =
      List.of(
          "format",
          "modelId",
          "version",
          "plaintextSha256",
          "plaintextSize",
          "inputs",
          "outputs",
          "dataClasses",
          "minRuntimeVersion",
          "createdAt",
          "publisherKeyId",
          "cipher");

  /** The members with {@code labels}, which is left out when there are none. */
  private static final List<String> MEMBERS_WITH_LABELS = withLabels();

  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String modelId;
  private final long version;
  private final byte[] plaintextSha256;
  private final long plaintextSize;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final List<String> dataClasses;
  private final Map<String, String> labels;
  private final String minRuntimeVersion;
  private final Instant createdAt;
  private final String publisherKeyId;
  private final byte[] encoded;
  private final byte[] digest;

  private Manifest(Builder b) {
    this.modelId = b.modelId;
    this.version = b.version;
    this.plaintextSha256 = b.plaintextSha256.clone();
    this.plaintextSize = b.plaintextSize;
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.dataClasses = Collections.unmodifiableList(new ArrayList<>(b.dataClasses));
    this.labels = Collections.unmodifiableMap(new TreeMap<>(b.labels));
    this.minRuntimeVersion = b.minRuntimeVersion;
    this.createdAt = b.createdAt;
    this.publisherKeyId = b.publisherKeyId;
    this.encoded = encode();
    this.digest = Sha256.hash(encoded);
  }

  /** A builder; every member is required. */
  public static Builder builder() {
    return new Builder();
  }

  public String modelId() {
    return modelId;
  }

  /** Monotonic integer version (1 .. 2^53-1); runtimes never accept a lower one. */
  public long version() {
    return version;
  }

  /** SHA-256 of the plaintext model (a copy). */
  public byte[] plaintextSha256() {
    return plaintextSha256.clone();
  }

  public long plaintextSize() {
    return plaintextSize;
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  /** Data classes (e.g. {@code phi}, {@code pci}) this model may process. */
  public List<String> dataClasses() {
    return dataClasses;
  }

  /**
   * The publisher's labels, sorted by key (e.g. {@code pci-approved: true}); what policies read as
   * {@code model.labels}. They are claims of whoever holds the publisher key, signed with the rest.
   */
  public Map<String, String> labels() {
    return labels;
  }

  public String minRuntimeVersion() {
    return minRuntimeVersion;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public String publisherKeyId() {
    return publisherKeyId;
  }

  /** The canonical encoding (a copy): exactly the bytes that are signed. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /**
   * SHA-256 of {@link #encoded()} (a copy): the ciphertext's associated data, and what key release
   * binds in its HPKE info.
   */
  public byte[] digest() {
    return digest.clone();
  }

  /**
   * Parses a manifest, accepting only its canonical encoding.
   *
   * @throws SealException {@code seal.bad-manifest} naming the first problem found
   */
  public static Manifest parse(byte[] encoded) throws SealException {
    if (encoded == null || encoded.length == 0 || encoded.length > MAX_ENCODED_LENGTH) {
      throw bad("length must be 1.." + MAX_ENCODED_LENGTH + " bytes");
    }
    JsonNode root;
    try {
      root = JSON.readTree(encoded);
    } catch (IOException | RuntimeException e) {
      throw bad("not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw bad("not a JSON object");
    }
    List<String> names = new ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    if (!names.equals(MEMBERS) && !names.equals(MEMBERS_WITH_LABELS)) {
      throw bad(
          "members must be exactly, in order: "
              + String.join(", ", MEMBERS_WITH_LABELS)
              + " (labels only when there are any)");
    }
    if (!FORMAT.equals(text(root, "format"))) {
      throw bad("format must be " + FORMAT);
    }
    if (!CIPHER.equals(text(root, "cipher"))) {
      throw bad("cipher must be " + CIPHER);
    }
    Manifest m;
    try {
      Builder b =
          builder()
              .modelId(text(root, "modelId"))
              .version(integer(root, "version"))
              .plaintextSha256(hex(root, "plaintextSha256"))
              .plaintextSize(integer(root, "plaintextSize"))
              .minRuntimeVersion(text(root, "minRuntimeVersion"))
              .createdAt(instant(root, "createdAt"))
              .publisherKeyId(text(root, "publisherKeyId"));
      for (TensorSpec t : tensors(root, "inputs")) {
        b.input(t);
      }
      for (TensorSpec t : tensors(root, "outputs")) {
        b.output(t);
      }
      JsonNode classes = root.get("dataClasses");
      if (!classes.isArray()) {
        throw bad("dataClasses must be an array of strings");
      }
      for (JsonNode c : classes) {
        if (!c.isTextual()) {
          throw bad("dataClasses must be an array of strings");
        }
        b.dataClass(c.asText());
      }
      labels(root, b);
      m = b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw bad(e.getMessage());
    }
    if (!MessageDigest.isEqual(m.encoded, encoded)) {
      throw bad("not in canonical form (member order, number or string formatting, whitespace)");
    }
    return m;
  }

  private static SealException bad(String why) {
    return new SealException(SealException.BAD_MANIFEST, "invalid manifest: " + why);
  }

  private static String text(JsonNode root, String name) throws SealException {
    JsonNode n = root.get(name);
    if (n == null || !n.isTextual()) {
      throw bad(name + " must be a string");
    }
    return n.asText();
  }

  private static long integer(JsonNode root, String name) throws SealException {
    JsonNode n = root.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw bad(name + " must be an integer");
    }
    return n.asLong();
  }

  private static byte[] hex(JsonNode root, String name) throws SealException {
    String s = text(root, name);
    if (!SHA256_HEX.matcher(s).matches()) {
      throw bad(name + " must be 64 lowercase hex digits");
    }
    return HexFormat.of().parseHex(s);
  }

  private static Instant instant(JsonNode root, String name) throws SealException {
    try {
      return Instant.parse(text(root, name));
    } catch (DateTimeParseException e) {
      throw bad(name + " must be an RFC 3339 UTC time such as 2026-01-31T12:00:00Z");
    }
  }

  private static void labels(JsonNode root, Builder b) throws SealException {
    JsonNode labels = root.get("labels");
    if (labels == null) {
      return;
    }
    if (!labels.isObject() || labels.isEmpty()) {
      throw bad("labels must be a non-empty object of strings (leave it out when there are none)");
    }
    for (var e : labels.properties()) {
      if (!e.getValue().isTextual()) {
        throw bad("label '" + e.getKey() + "' must be a string");
      }
      b.label(e.getKey(), e.getValue().asText());
    }
  }

  private static List<String> withLabels() {
    List<String> m = new ArrayList<>(MEMBERS);
    m.add(m.indexOf("dataClasses") + 1, "labels");
    return List.copyOf(m);
  }

  private static List<TensorSpec> tensors(JsonNode root, String name) throws SealException {
    JsonNode arr = root.get(name);
    if (!arr.isArray() || arr.size() > 256) {
      throw bad(name + " must be an array of at most 256 tensors");
    }
    List<TensorSpec> out = new ArrayList<>();
    for (JsonNode t : arr) {
      List<String> members = new ArrayList<>();
      if (t.isObject()) {
        t.fieldNames().forEachRemaining(members::add);
      }
      if (!members.equals(List.of("name", "type", "shape"))
          || !t.get("name").isTextual()
          || !t.get("type").isTextual()
          || !t.get("shape").isArray()
          || t.get("shape").size() > 16) {
        throw bad(name + " entries must be {name, type, shape} with at most 16 dimensions");
      }
      long[] shape = new long[t.get("shape").size()];
      Iterator<JsonNode> dims = t.get("shape").elements();
      for (int i = 0; i < shape.length; i++) {
        JsonNode d = dims.next();
        if (!d.isIntegralNumber() || !d.canConvertToLong()) {
          throw bad(name + " shape dimensions must be integers");
        }
        shape[i] = d.asLong();
      }
      out.add(TensorSpec.of(t.get("name").asText(), t.get("type").asText(), shape));
    }
    return out;
  }

  private byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeStringField("modelId", modelId);
      g.writeNumberField("version", version);
      g.writeStringField("plaintextSha256", HexFormat.of().formatHex(plaintextSha256));
      g.writeNumberField("plaintextSize", plaintextSize);
      writeTensors(g, "inputs", inputs);
      writeTensors(g, "outputs", outputs);
      g.writeArrayFieldStart("dataClasses");
      for (String c : dataClasses) {
        g.writeString(c);
      }
      g.writeEndArray();
      if (!labels.isEmpty()) {
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> l : labels.entrySet()) {
          g.writeStringField(l.getKey(), l.getValue());
        }
        g.writeEndObject();
      }
      g.writeStringField("minRuntimeVersion", minRuntimeVersion);
      g.writeStringField("createdAt", createdAt.toString());
      g.writeStringField("publisherKeyId", publisherKeyId);
      g.writeStringField("cipher", CIPHER);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeTensors(JsonGenerator g, String name, List<TensorSpec> tensors)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (TensorSpec t : tensors) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      g.writeStringField("type", t.elementType());
      g.writeArrayFieldStart("shape");
      for (long d : t.shape()) {
        g.writeNumber(d);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest manifest && MessageDigest.isEqual(manifest.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "Manifest["
        + modelId
        + " v"
        + version
        + ", "
        + plaintextSize
        + " bytes, key "
        + publisherKeyId
        + "]";
  }

  /** Builds a {@link Manifest}; every member must be set. Not thread-safe. */
  public static final class Builder {
    private String modelId;
    private long version = -1;
    private byte[] plaintextSha256;
    private long plaintextSize = -1;
    private final List<TensorSpec> inputs = new ArrayList<>();
    private final List<TensorSpec> outputs = new ArrayList<>();
    private final Set<String> dataClasses = new LinkedHashSet<>();
    private final Map<String, String> labels = new TreeMap<>();
    private String minRuntimeVersion;
    private Instant createdAt;
    private String publisherKeyId;

    private Builder() {}

    public Builder modelId(String v) {
      if (v == null || !MODEL_ID.matcher(v).matches()) {
        throw new IllegalArgumentException(
            "modelId must be 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit");
      }
      modelId = v;
      return this;
    }

    public Builder version(long v) {
      if (v < 1 || v > MAX_SAFE_INTEGER) {
        throw new IllegalArgumentException("version must be 1..2^53-1");
      }
      version = v;
      return this;
    }

    public Builder plaintextSha256(byte[] v) {
      if (v == null || v.length != 32) {
        throw new IllegalArgumentException("plaintextSha256 must be 32 bytes");
      }
      plaintextSha256 = v.clone();
      return this;
    }

    public Builder plaintextSize(long v) {
      if (v < 0 || v > MAX_SAFE_INTEGER) {
        throw new IllegalArgumentException("plaintextSize must be 0..2^53-1");
      }
      plaintextSize = v;
      return this;
    }

    public Builder input(TensorSpec t) {
      inputs.add(Objects.requireNonNull(t));
      return this;
    }

    public Builder output(TensorSpec t) {
      outputs.add(Objects.requireNonNull(t));
      return this;
    }

    public Builder dataClass(String c) {
      if (c == null || !DATA_CLASS.matcher(c).matches()) {
        throw new IllegalArgumentException(
            "data class must be 1-64 characters of a-z 0-9 . _ - starting with a letter or digit");
      }
      if (!dataClasses.add(c)) {
        throw new IllegalArgumentException("data class '" + c + "' listed twice");
      }
      return this;
    }

    /**
     * Adds a label: key {@code [a-z0-9][a-z0-9._/-]{0,62}}, value up to 256 printable ASCII
     * characters; at most 32 labels, each key once.
     */
    public Builder label(String key, String value) {
      if (key == null || !LABEL_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "label key must be 1-63 characters of a-z 0-9 . _ / - starting with a letter or digit");
      }
      if (value == null || !LABEL_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "label '" + key + "' must have a value of at most 256 printable ASCII characters");
      }
      if (labels.containsKey(key)) {
        throw new IllegalArgumentException("label '" + key + "' given twice");
      }
      if (labels.size() == MAX_LABELS) {
        throw new IllegalArgumentException("at most " + MAX_LABELS + " labels");
      }
      labels.put(key, value);
      return this;
    }

    public Builder minRuntimeVersion(String v) {
      if (v == null || !RUNTIME_VERSION.matcher(v).matches()) {
        throw new IllegalArgumentException("minRuntimeVersion must look like 1.2.0");
      }
      minRuntimeVersion = v;
      return this;
    }

    public Builder createdAt(Instant v) {
      createdAt = Objects.requireNonNull(v);
      return this;
    }

    public Builder publisherKeyId(String v) {
      if (v == null || !KEY_ID.matcher(v).matches()) {
        throw new IllegalArgumentException("publisherKeyId is malformed");
      }
      publisherKeyId = v;
      return this;
    }

    /**
     * Builds the manifest.
     *
     * @throws IllegalStateException if a member is missing, or there is no input, output or data
     *     class
     */
    public Manifest build() {
      if (modelId == null
          || version < 0
          || plaintextSha256 == null
          || plaintextSize < 0
          || minRuntimeVersion == null
          || createdAt == null
          || publisherKeyId == null) {
        throw new IllegalStateException("every manifest member must be set");
      }
      if (inputs.isEmpty() || outputs.isEmpty() || dataClasses.isEmpty()) {
        throw new IllegalStateException(
            "a manifest needs at least one input, output and data class");
      }
      return new Manifest(this);
    }
  }
}
