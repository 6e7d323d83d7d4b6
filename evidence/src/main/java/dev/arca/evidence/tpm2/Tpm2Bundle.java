// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.evidence.EvidenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TPM 2.0 evidence as one JSON document (media type {@value #MEDIA_TYPE}), documented in {@code
 * docs/formats/tpm2-evidence.md}: the quote (TPMS_ATTEST), its TPMT_SIGNATURE, the AK's
 * TPMT_PUBLIC, the PCR values per bank, and optionally the event log, the EK certificate and its
 * intermediates. The service receives the same document over the API. Immutable.
 *
 * <p>{@link #readDirectory(Path)} packs the files named as in the shared vectors: {@code
 * quote_tpms_attest.bin}, {@code quote_tpmt_signature.bin}, {@code ak_tpmt_public.bin}, {@code
 * pcrs_sha1.txt} and/or {@code pcrs_sha256.txt} (also {@code pcrs_sha384.txt}, {@code
 * pcrs_sha512.txt}), optional {@code eventlog.bin}, {@code ek_cert.der} (DER or PEM) and {@code
 * ek_chain.pem}.
 *
 * <p>Failure ids of {@link #parse(byte[])}: {@code tpm2.bundle.too-large}, {@code
 * tpm2.bundle.malformed}, {@code tpm2.bundle.unsupported-version}.
 */
public final class Tpm2Bundle {
  /** Media type of the bundle. */
  public static final String MEDIA_TYPE = "application/vnd.arca.tpm2-evidence+json";

  /** Bundle version this code writes and reads. */
  public static final int VERSION = 1;

  /** The largest bundle accepted (an event log can be a few hundred KiB). */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of(
          "version",
          "attest",
          "signature",
          "akPublic",
          "pcrs",
          "eventLog",
          "ekCertificate",
          "ekChain");
  private static final List<String> BANKS = List.of("sha1", "sha256", "sha384", "sha512");
  private static final Pattern PCR_INDEX = Pattern.compile("\\d{1,2}");
  private static final Pattern PCR_LINE =
      Pattern.compile("^\\s*(?:pcr)?(\\d{1,2})\\s*[:=]?\\s*(?:0x)?([0-9a-fA-F]+)\\s*$");

  private final byte[] attest;
  private final byte[] signature;
  private final byte[] akPublic;
  private final Map<String, Map<Integer, byte[]>> pcrs;
  private final byte[] eventLog;
  private final byte[] ekCertificate;
  private final List<byte[]> ekChain;

  /**
   * @param pcrs bank name ({@code sha1}, {@code sha256}, ...) to PCR index to value
   * @param eventLog the TCG event log, or null
   * @param ekCertificate the EK certificate (DER), or null
   * @param ekChain the EK certificate's intermediates (DER, leaf-most first); may be empty
   */
  public Tpm2Bundle(
      byte[] attest,
      byte[] signature,
      byte[] akPublic,
      Map<String, Map<Integer, byte[]>> pcrs,
      byte[] eventLog,
      byte[] ekCertificate,
      List<byte[]> ekChain) {
    this.attest = attest.clone();
    this.signature = signature.clone();
    this.akPublic = akPublic.clone();
    Map<String, Map<Integer, byte[]>> p = new TreeMap<>();
    pcrs.forEach(
        (bank, values) -> {
          Map<Integer, byte[]> v = new TreeMap<>();
          values.forEach((i, b) -> v.put(i, b.clone()));
          p.put(bank, Collections.unmodifiableMap(v));
        });
    this.pcrs = Collections.unmodifiableMap(p);
    this.eventLog = eventLog == null ? null : eventLog.clone();
    this.ekCertificate = ekCertificate == null ? null : ekCertificate.clone();
    this.ekChain = ekChain.stream().map(byte[]::clone).toList();
  }

  /**
   * Reads the bundle's files from a directory (names above).
   *
   * @throws IOException when a required file is missing or a PCR file cannot be read
   */
  public static Tpm2Bundle readDirectory(Path dir) throws IOException {
    byte[] attest = required(dir, "quote_tpms_attest.bin");
    byte[] sig = required(dir, "quote_tpmt_signature.bin");
    byte[] ak = required(dir, "ak_tpmt_public.bin");
    Map<String, Map<Integer, byte[]>> pcrs = new LinkedHashMap<>();
    for (String bank : BANKS) {
      Path f = dir.resolve("pcrs_" + bank + ".txt");
      if (Files.isRegularFile(f)) {
        pcrs.put(bank, parsePcrText(read(f), f.getFileName().toString()));
      }
    }
    if (pcrs.isEmpty()) {
      throw new IOException(dir + " has no PCR values (pcrs_sha1.txt or pcrs_sha256.txt)");
    }
    byte[] log = optional(dir, "eventlog.bin");
    byte[] ek = optional(dir, "ek_cert.der");
    List<byte[]> chain = new ArrayList<>();
    byte[] chainPem = optional(dir, "ek_chain.pem");
    if (chainPem != null) {
      chain.addAll(
          pemCertificates(new String(chainPem, StandardCharsets.US_ASCII), "ek_chain.pem"));
    }
    if (ek != null && new String(ek, StandardCharsets.US_ASCII).contains("-----BEGIN")) {
      List<byte[]> certs =
          pemCertificates(new String(ek, StandardCharsets.US_ASCII), "ek_cert.der");
      ek = certs.get(0);
    }
    return new Tpm2Bundle(attest, sig, ak, pcrs, log, ek, chain);
  }

  /**
   * Parses the PCR text form: one PCR per line, {@code <index> <hex value>} (also {@code <index>:
   * <hex>} or {@code 0x}-prefixed values); blank lines and {@code #} comments ignored.
   *
   * @throws IOException naming the line that does not fit
   */
  public static Map<Integer, byte[]> parsePcrText(String text, String source) throws IOException {
    Map<Integer, byte[]> out = new TreeMap<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = PCR_LINE.matcher(line);
      if (!m.matches() || m.group(2).length() % 2 != 0) {
        throw new IOException(source + " line " + (i + 1) + ": expected '<pcr index> <hex value>'");
      }
      int index = Integer.parseInt(m.group(1));
      if (out.put(index, HexFormat.of().parseHex(m.group(2))) != null) {
        throw new IOException(source + " line " + (i + 1) + ": PCR " + index + " appears twice");
      }
    }
    return out;
  }

  /** The PCR text form of one bank's values. */
  public static String pcrText(Map<Integer, byte[]> values) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(values)
        .forEach(
            (i, v) -> sb.append(i).append(' ').append(HexFormat.of().formatHex(v)).append('\n'));
    return sb.toString();
  }

  /**
   * Parses a bundle document.
   *
   * @throws EvidenceException with the ids above
   */
  public static Tpm2Bundle parse(byte[] json) throws EvidenceException {
    if (json.length > MAX_BYTES) {
      throw new EvidenceException(
          "tpm2.bundle.too-large",
          "the bundle has " + json.length + " bytes; at most " + MAX_BYTES + " accepted");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new EvidenceException("tpm2.bundle.malformed", "the bundle is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new EvidenceException("tpm2.bundle.malformed", "the bundle is not a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new EvidenceException("tpm2.bundle.malformed", "unknown bundle field '" + f + "'");
      }
    }
    if (!root.path("version").isInt() || root.path("version").asInt() != VERSION) {
      throw new EvidenceException(
          "tpm2.bundle.unsupported-version",
          "bundle version " + root.path("version") + " is not supported; expected " + VERSION);
    }
    JsonNode pcrNode = root.path("pcrs");
    if (!pcrNode.isObject() || pcrNode.isEmpty()) {
      throw new EvidenceException("tpm2.bundle.malformed", "'pcrs' must map banks to PCR values");
    }
    Map<String, Map<Integer, byte[]>> pcrs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> bank : pcrNode.properties()) {
      if (!BANKS.contains(bank.getKey()) || !bank.getValue().isObject()) {
        throw new EvidenceException(
            "tpm2.bundle.malformed", "'pcrs' has an unknown bank '" + bank.getKey() + "'");
      }
      Map<Integer, byte[]> values = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : bank.getValue().properties()) {
        if (!PCR_INDEX.matcher(e.getKey()).matches() || !e.getValue().isTextual()) {
          throw new EvidenceException(
              "tpm2.bundle.malformed",
              "PCR '" + e.getKey() + "' must be an index with a hex string");
        }
        try {
          values.put(Integer.parseInt(e.getKey()), HexFormat.of().parseHex(e.getValue().asText()));
        } catch (IllegalArgumentException ex) {
          throw new EvidenceException(
              "tpm2.bundle.malformed", "PCR " + e.getKey() + " is not a hex string");
        }
      }
      pcrs.put(bank.getKey(), values);
    }
    List<byte[]> chain = new ArrayList<>();
    JsonNode chainNode = root.path("ekChain");
    if (!chainNode.isMissingNode()) {
      if (!chainNode.isArray()) {
        throw new EvidenceException("tpm2.bundle.malformed", "'ekChain' must be an array");
      }
      for (JsonNode c : chainNode) {
        chain.add(base64(c, "ekChain[]"));
      }
    }
    return new Tpm2Bundle(
        base64(root.get("attest"), "attest"),
        base64(root.get("signature"), "signature"),
        base64(root.get("akPublic"), "akPublic"),
        pcrs,
        root.has("eventLog") ? base64(root.get("eventLog"), "eventLog") : null,
        root.has("ekCertificate") ? base64(root.get("ekCertificate"), "ekCertificate") : null,
        chain);
  }

  /** The bundle document (UTF-8 JSON). */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    Base64.Encoder b64 = Base64.getEncoder();
    root.put("version", VERSION);
    root.put("attest", b64.encodeToString(attest));
    root.put("signature", b64.encodeToString(signature));
    root.put("akPublic", b64.encodeToString(akPublic));
    ObjectNode p = root.putObject("pcrs");
    pcrs.forEach(
        (bank, values) -> {
          ObjectNode b = p.putObject(bank);
          values.forEach((i, v) -> b.put(Integer.toString(i), HexFormat.of().formatHex(v)));
        });
    if (eventLog != null) {
      root.put("eventLog", b64.encodeToString(eventLog));
    }
    if (ekCertificate != null) {
      root.put("ekCertificate", b64.encodeToString(ekCertificate));
    }
    if (!ekChain.isEmpty()) {
      ArrayNode a = root.putArray("ekChain");
      ekChain.forEach(c -> a.add(b64.encodeToString(c)));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  public byte[] attest() {
    return attest.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  public byte[] akPublic() {
    return akPublic.clone();
  }

  /**
   * Bank name to PCR index to value (read-only; values are the bundle's own arrays: do not modify).
   */
  public Map<String, Map<Integer, byte[]>> pcrs() {
    return pcrs;
  }

  public Optional<byte[]> eventLog() {
    return Optional.ofNullable(eventLog).map(byte[]::clone);
  }

  public Optional<byte[]> ekCertificate() {
    return Optional.ofNullable(ekCertificate).map(byte[]::clone);
  }

  /** Intermediates of the EK certificate (DER), leaf-most first. */
  public List<byte[]> ekChain() {
    return ekChain.stream().map(byte[]::clone).toList();
  }

  @Override
  public String toString() {
    return "Tpm2Bundle[banks="
        + pcrs.keySet()
        + ", eventLog="
        + (eventLog != null)
        + ", ek="
        + (ekCertificate != null)
        + "]";
  }

  private static byte[] base64(JsonNode n, String field) throws EvidenceException {
    if (n == null || !n.isTextual()) {
      throw new EvidenceException(
          "tpm2.bundle.malformed", "field '" + field + "' is missing or not a string");
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new EvidenceException("tpm2.bundle.malformed", "field '" + field + "' is not base64");
    }
  }

  private static List<byte[]> pemCertificates(String pem, String source) throws IOException {
    List<byte[]> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----").matcher(pem);
    while (m.find()) {
      try {
        out.add(Base64.getMimeDecoder().decode(m.group(1)));
      } catch (IllegalArgumentException e) {
        throw new IOException(source + " holds a certificate that is not valid base64");
      }
    }
    if (out.isEmpty()) {
      throw new IOException(source + " holds no PEM certificate");
    }
    return out;
  }

  private static byte[] required(Path dir, String name) throws IOException {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IOException(dir + " lacks " + name + " (a TPM evidence folder needs it)");
    }
    return readBytes(f);
  }

  private static byte[] optional(Path dir, String name) throws IOException {
    Path f = dir.resolve(name);
    return Files.isRegularFile(f) ? readBytes(f) : null;
  }

  private static String read(Path f) throws IOException {
    return new String(readBytes(f), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Path f) throws IOException {
    if (Files.size(f) > MAX_BYTES) {
      throw new IOException(f + " is larger than " + MAX_BYTES + " bytes");
    }
    return Files.readAllBytes(f);
  }
}
