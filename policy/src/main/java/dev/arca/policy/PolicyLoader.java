// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelSource;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Loads policy documents: reads the YAML, checks it against the policy JSON schema, parses and
 * type-checks every rule condition, and builds an immutable {@link Policy}. Every problem is
 * reported with its file, line and column ({@link PolicyLoadException#problems()}); a document with
 * any problem is refused as a whole, so a decision never runs on a half-loaded policy.
 *
 * <p>Thread-safe; all methods are static.
 */
public final class PolicyLoader {

  /** The only {@code apiVersion} this loader accepts. */
  public static final String API_VERSION = "arca.dev/v1alpha1";

  /** The only {@code kind} this loader accepts. */
  public static final String KIND = "Policy";

  /** Files larger than this are refused unread. */
  public static final long MAX_FILE_BYTES = PositionedYaml.MAX_CODE_POINTS;

  private PolicyLoader() {}

  /**
   * Loads a policy file (UTF-8 YAML).
   *
   * @throws PolicyLoadException if the file cannot be read or has any problem
   */
  public static Policy load(Path file) throws PolicyLoadException {
    return parse(readUtf8(file, PolicyProblem.IO), file.toString());
  }

  /**
   * Loads a policy from text.
   *
   * @param yaml the document
   * @param sourceName how problems name the source, e.g. a file name
   * @throws PolicyLoadException if the document has any problem
   */
  public static Policy parse(String yaml, String sourceName) throws PolicyLoadException {
    PositionedYaml doc = PositionedYaml.parse(yaml, sourceName, PolicyProblem.YAML);
    List<PolicyProblem> schemaProblems = DocumentSchema.POLICY.check(doc, PolicyProblem.SCHEMA);
    if (!schemaProblems.isEmpty()) {
      throw new PolicyLoadException(schemaProblems);
    }
    JsonNode root = doc.root();
    List<PolicyProblem> problems = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    Map<String, String> seenNames = new HashMap<>();
    JsonNode ruleNodes = root.get("rules");
    for (int i = 0; i < ruleNodes.size(); i++) {
      JsonNode r = ruleNodes.get(i);
      String base = "/rules/" + i;
      String name = r.get("name").asText();
      Effect effect = Effect.valueOf(r.get("effect").asText().toUpperCase(java.util.Locale.ROOT));
      String condition = r.get("when").asText();
      String previous = seenNames.putIfAbsent(name, doc.locate(base).toString());
      if (previous != null) {
        problems.add(
            new PolicyProblem(
                PolicyProblem.DUPLICATE_RULE,
                doc.locate(base + "/name"),
                "rule name '"
                    + name
                    + "' is already used at "
                    + previous
                    + "; names must be unique"));
      }
      Obligations obligations = Obligations.NONE;
      if (r.has("obligations")) {
        if (effect == Effect.FORBID) {
          problems.add(
              new PolicyProblem(
                  PolicyProblem.FORBID_OBLIGATIONS,
                  doc.locateKey(base + "/obligations"),
                  "rule '"
                      + name
                      + "' is a forbid rule; obligations only apply to permits, remove them"));
        } else {
          obligations = obligations(r.get("obligations"));
        }
      }
      ConditionCompiler.Result compiled = ConditionCompiler.compile(condition);
      for (ConditionCompiler.Problem p : compiled.problems()) {
        problems.add(
            new PolicyProblem(
                p.id(),
                doc.locateInString(base + "/when", p.line(), p.column()),
                "rule '" + name + "': " + p.message()));
      }
      if (compiled.problems().isEmpty()) {
        String description = r.has("description") ? r.get("description").asText() : null;
        rules.add(
            new Rule(
                i,
                name,
                effect,
                condition,
                description,
                obligations,
                doc.locate(base),
                compiled.program(),
                compiled.constraints(),
                offsetLocator(doc, base + "/when", compiled.source())));
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyLoadException(problems);
    }
    JsonNode meta = root.get("metadata");
    return new Policy(
        root.get("apiVersion").asText(),
        meta.get("name").asText(),
        meta.get("version").asLong(),
        sourceName,
        sha256(yaml),
        rules,
        withoutReferenceValues(root));
  }

  private static Set<String> withoutReferenceValues(JsonNode root) {
    Set<String> formats = new TreeSet<>();
    root.path("appraisal").path("withoutReferenceValues").forEach(f -> formats.add(f.asText()));
    return formats;
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Maps a character offset in a condition (as CEL run-time errors give it) to the file. */
  private static IntFunction<SourceLocation> offsetLocator(
      PositionedYaml doc, String pointer, CelSource source) {
    return offset ->
        source
            .getOffsetLocation(offset)
            .map(l -> doc.locateInString(pointer, l.getLine(), l.getColumn()))
            .orElseGet(() -> doc.locate(pointer));
  }

  private static Obligations obligations(JsonNode o) {
    Obligations.Builder b = Obligations.builder();
    // The schema has checked the syntax, so parsing cannot fail here.
    if (o.has("leaseLength")) {
      b.leaseLength(PolicyDurations.parse(o.get("leaseLength").asText()));
    }
    if (o.has("offlineAllowance")) {
      b.offlineAllowance(PolicyDurations.parse(o.get("offlineAllowance").asText()));
    }
    if (o.has("maxRequestsPerMinute")) {
      b.maxRequestsPerMinute(o.get("maxRequestsPerMinute").asInt());
    }
    if (o.has("reattestationInterval")) {
      b.reattestationInterval(PolicyDurations.parse(o.get("reattestationInterval").asText()));
    }
    return b.build();
  }

  /** Reads a whole file as strict UTF-8, refusing oversized files; failures as located problems. */
  static String readUtf8(Path file, String problemId) throws PolicyLoadException {
    SourceLocation start = new SourceLocation(file.toString(), 1, 1);
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new PolicyLoadException(
            List.of(
                new PolicyProblem(
                    problemId,
                    start,
                    "file is " + size + " bytes; the limit is " + MAX_FILE_BYTES)));
      }
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PolicyLoadException(
          List.of(new PolicyProblem(problemId, start, "file is not valid UTF-8")));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new PolicyLoadException(List.of(new PolicyProblem(problemId, start, "no such file")));
    } catch (java.nio.file.AccessDeniedException e) {
      throw new PolicyLoadException(
          List.of(new PolicyProblem(problemId, start, "permission denied")));
    } catch (IOException e) {
      throw new PolicyLoadException(
          List.of(new PolicyProblem(problemId, start, "cannot read file: " + e.getMessage())));
    }
  }
}
