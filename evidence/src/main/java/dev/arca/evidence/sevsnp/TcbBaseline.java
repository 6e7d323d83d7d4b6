// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.evidence.EvidenceException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An SEV-SNP TCB baseline: the lowest TCB (per firmware component) a fleet accepts for one AMD
 * product, as the security team decides it from AMD's security bulletins. AMD publishes nothing
 * like Intel's TCB info, so this is Arca's own collateral, uploaded as {@code
 * snp_tcb_baseline.json} (format: {@code docs/formats/snp-tcb-baseline.md}):
 *
 * <pre>{@code
 * {"product":"Milan","minimumTcb":{"bootloader":3,"tee":0,"snp":8,"microcode":115},
 *  "issueDate":"2026-01-01T00:00:00Z","nextUpdate":"2026-07-01T00:00:00Z","reference":"AMD-SB-3019"}
 * }</pre>
 *
 * <p>Parsing is strict: one JSON object with exactly these members (only {@code reference} may be
 * left out), no duplicate names, {@code minimumTcb} naming exactly the components of the product's
 * TCB_VERSION ({@link TcbVersion#asMap()}: {@code fmc} on Turin only), each an integer 0..255,
 * {@code issueDate <= nextUpdate} (RFC 3339 instants), {@code reference} at most 200 characters.
 * Anything else fails with {@value #MALFORMED}.
 *
 * @param product the product the baseline is for
 * @param minimumTcb the minimum SPL per component, in {@link TcbVersion#asMap()} order
 * @param issueDate from when the baseline applies
 * @param nextUpdate until when it applies (inclusive); after it, it is expired
 * @param reference free text naming the basis, e.g. an AMD security bulletin, if given
 */
public record TcbBaseline(
    Product product,
    Map<String, Integer> minimumTcb,
    Instant issueDate,
    Instant nextUpdate,
    Optional<String> reference) {

  /** The collateral file name the verifier reads. */
  public static final String FILE_NAME = "snp_tcb_baseline.json";

  /** Failure id of a baseline that is not well-formed. */
  public static final String MALFORMED = "sevsnp.tcb-baseline.malformed";

  private static final int MAX_REFERENCE = 200;
  private static final Set<String> MEMBERS =
      Set.of("product", "minimumTcb", "issueDate", "nextUpdate", "reference");
  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  public TcbBaseline {
    minimumTcb = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(minimumTcb));
  }

  /**
   * Parses a baseline file.
   *
   * @throws EvidenceException {@value #MALFORMED} naming what is wrong
   */
  public static TcbBaseline parse(byte[] json) throws EvidenceException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw malformed("it is not valid JSON or repeats a member (" + firstLine(e) + ")");
    }
    if (root == null || !root.isObject()) {
      throw malformed("it is not a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        throw malformed(
            "unknown member '" + name + "' (allowed: " + String.join(", ", sorted(MEMBERS)) + ")");
      }
    }
    String productName = text(root, "product");
    Product product = null;
    for (Product p : Product.values()) {
      if (p.displayName().equals(productName)) {
        product = p;
      }
    }
    if (product == null) {
      throw malformed("product '" + productName + "' is not Milan, Genoa or Turin");
    }
    Map<String, Integer> minimum = minimumTcb(root.get("minimumTcb"), product);
    Instant issueDate = instant(root, "issueDate");
    Instant nextUpdate = instant(root, "nextUpdate");
    if (issueDate.isAfter(nextUpdate)) {
      throw malformed("issueDate " + issueDate + " is after nextUpdate " + nextUpdate);
    }
    Optional<String> reference = Optional.empty();
    if (root.has("reference")) {
      String r = text(root, "reference");
      if (r.length() > MAX_REFERENCE) {
        throw malformed("reference has more than " + MAX_REFERENCE + " characters");
      }
      reference = Optional.of(r);
    }
    return new TcbBaseline(product, minimum, issueDate, nextUpdate, reference);
  }

  /** True when {@code time} lies in [{@link #issueDate}, {@link #nextUpdate}]. */
  public boolean appliesAt(Instant time) {
    return !time.isBefore(issueDate) && !time.isAfter(nextUpdate);
  }

  /**
   * The components of {@code reported} below this baseline, as {@code name report<minimum}, in
   * {@link TcbVersion#asMap()} order; empty when the TCB meets it.
   *
   * @throws IllegalArgumentException when {@code reported} has other components (another product)
   */
  public List<String> below(TcbVersion reported) {
    Map<String, Integer> actual = reported.asMap();
    if (!actual.keySet().equals(minimumTcb.keySet())) {
      throw new IllegalArgumentException("the TCB is not laid out as " + product.displayName());
    }
    List<String> below = new ArrayList<>();
    minimumTcb.forEach(
        (name, min) -> {
          int v = actual.get(name);
          if (v < min) {
            below.add(name + " " + v + "<" + min);
          }
        });
    return below;
  }

  private static Map<String, Integer> minimumTcb(JsonNode n, Product product)
      throws EvidenceException {
    if (n == null || !n.isObject()) {
      throw malformed("minimumTcb is missing or not an object");
    }
    // The component names of this product's TCB_VERSION, in their order.
    List<String> expected = TcbVersion.components(product);
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!expected.contains(name)) {
        throw malformed(
            "minimumTcb names '"
                + name
                + "', which is not a TCB component of "
                + product.displayName()
                + " ("
                + String.join(", ", expected)
                + ")");
      }
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String name : expected) {
      JsonNode v = n.get(name);
      if (v == null) {
        throw malformed(
            "minimumTcb lacks '"
                + name
                + "' ("
                + product.displayName()
                + " needs "
                + expected
                + ")");
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 255) {
        throw malformed("minimumTcb." + name + " is not an integer from 0 to 255: " + v);
      }
      out.put(name, v.intValue());
    }
    return out;
  }

  private static String text(JsonNode n, String field) throws EvidenceException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw malformed(field + " is missing or not a string");
    }
    return v.textValue();
  }

  private static Instant instant(JsonNode n, String field) throws EvidenceException {
    String s = text(n, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw malformed(field + " '" + s + "' is not an instant such as 2026-01-01T00:00:00Z");
    }
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private static String firstLine(IOException e) {
    String m =
        String.valueOf(
            e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static EvidenceException malformed(String what) {
    return new EvidenceException(MALFORMED, "the SEV-SNP TCB baseline is malformed: " + what);
  }
}
