// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document read as a JSON tree (for schema validation) that remembers where every value and
 * key came from, so later checks can report file, line and column.
 *
 * <p>Policies and fixtures are data, not programs: only the YAML core schema types (mapping,
 * sequence, string, int, float, bool, null, timestamp as text) are accepted; aliases, merge keys,
 * custom tags, duplicate keys and multiple documents are refused. Parsing uses SnakeYAML's composer
 * only (no object construction), with limits on size, nesting and aliases.
 */
final class PositionedYaml {

  /** Larger documents are refused before parsing (4 MiB of text is thousands of rules). */
  static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  private static final int MAX_NESTING = 64;

  private final String file;
  private final String text;
  private final JsonNode root;
  private final Map<String, Node> values;
  private final Map<String, Node> keys;

  private PositionedYaml(
      String file, String text, JsonNode root, Map<String, Node> values, Map<String, Node> keys) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.values = values;
    this.keys = keys;
  }

  /**
   * Parses one YAML document.
   *
   * @param problemId id for the problems reported (policy or fixture YAML)
   * @throws PolicyLoadException with every YAML problem found, each located
   */
  static PositionedYaml parse(String text, String file, String problemId)
      throws PolicyLoadException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    options.setMergeOnCompose(false);
    Yaml yaml = new Yaml(options);
    List<Node> docs = new ArrayList<>();
    try {
      // Aliases are found on the event stream, where each has its own position (the composer
      // hands back the anchored node, positioned at the anchor).
      for (Event ev : yaml.parse(new StringReader(text))) {
        if (ev instanceof AliasEvent) {
          throw single(
              problemId,
              locate(file, ev.getStartMark()),
              "YAML aliases (*name) are not allowed; write the value out");
        }
      }
      Iterator<Node> it = yaml.composeAll(new StringReader(text)).iterator();
      while (it.hasNext()) {
        docs.add(it.next());
        if (docs.size() > 1) {
          break;
        }
      }
    } catch (MarkedYAMLException e) {
      throw single(problemId, locate(file, e.getProblemMark()), yamlMessage(e));
    } catch (RuntimeException e) {
      // Any other parser failure (size limit, bad encoding, ...) refuses the document.
      throw single(
          problemId, new SourceLocation(file, 1, 1), "not readable as YAML: " + e.getMessage());
    } catch (StackOverflowError e) {
      throw single(problemId, new SourceLocation(file, 1, 1), "YAML nested too deeply");
    }
    if (docs.isEmpty()) {
      throw single(problemId, new SourceLocation(file, 1, 1), "the document is empty");
    }
    if (docs.size() > 1) {
      throw single(
          problemId,
          locate(file, docs.get(1).getStartMark()),
          "only one YAML document per file is allowed; remove the second '---' document");
    }
    Converter c = new Converter(file, problemId);
    JsonNode root = c.convert(docs.get(0), "", 0);
    if (!c.problems.isEmpty()) {
      throw new PolicyLoadException(c.problems);
    }
    return new PositionedYaml(file, text, root, c.values, c.keys);
  }

  JsonNode root() {
    return root;
  }

  String file() {
    return file;
  }

  /**
   * Where the value at a JSON pointer (e.g. {@code /rules/3/when}) starts; the document start if
   * unknown.
   */
  SourceLocation locate(String pointer) {
    String p = pointer;
    while (true) {
      Node n = values.get(p);
      if (n != null) {
        return locate(file, n.getStartMark());
      }
      if (p.isEmpty()) {
        return new SourceLocation(file, 1, 1);
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** Where the key of the member at a JSON pointer is written; falls back to {@link #locate}. */
  SourceLocation locateKey(String pointer) {
    Node n = keys.get(pointer);
    return n != null ? locate(file, n.getStartMark()) : locate(pointer);
  }

  /**
   * Where a position inside a string value lies in the file. Exact for single-line scalars (plain
   * or quoted, without escapes before the position) and literal blocks ({@code |}); for other
   * multi-line styles, the start of the value.
   *
   * @param line 1-based line within the string
   * @param column 0-based column within that line
   */
  SourceLocation locateInString(String pointer, int line, int column) {
    Node n = values.get(pointer);
    if (!(n instanceof ScalarNode s)) {
      return locate(pointer);
    }
    Mark start = s.getStartMark();
    Mark end = s.getEndMark();
    DumperOptions.ScalarStyle style = s.getScalarStyle();
    if (style == DumperOptions.ScalarStyle.LITERAL) {
      // The mark is at the '|' indicator; content starts on the next line at the block indent.
      int sourceLine = start.getLine() + line; // 0-based line of the content line
      return new SourceLocation(file, sourceLine + 1, blockIndent(start.getLine()) + column + 1);
    }
    if (start.getLine() == end.getLine() && line == 1) {
      int quote =
          style == DumperOptions.ScalarStyle.DOUBLE_QUOTED
                  || style == DumperOptions.ScalarStyle.SINGLE_QUOTED
              ? 1
              : 0;
      return new SourceLocation(file, start.getLine() + 1, start.getColumn() + quote + column + 1);
    }
    return locate(file, start);
  }

  /** The indentation of a block scalar: that of its first non-blank content line. */
  private int blockIndent(int indicatorLine) {
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = indicatorLine + 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isBlank()) {
        continue;
      }
      int n = 0;
      while (n < l.length() && l.charAt(n) == ' ') {
        n++;
      }
      return n;
    }
    return 0;
  }

  private static SourceLocation locate(String file, Mark mark) {
    if (mark == null) {
      return new SourceLocation(file, 1, 1);
    }
    return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String yamlMessage(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
    String context = e.getContext();
    return context == null ? problem : problem + " (" + context + ")";
  }

  private static PolicyLoadException single(String id, SourceLocation at, String message) {
    return new PolicyLoadException(List.of(new PolicyProblem(id, at, message)));
  }

  /** JSON pointer token escaping, RFC 6901 section 3. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static final class Converter {
    private final String file;
    private final String problemId;
    private final Map<String, Node> values = new HashMap<>();
    private final Map<String, Node> keys = new HashMap<>();
    private final IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
    private final List<PolicyProblem> problems = new ArrayList<>();

    Converter(String file, String problemId) {
      this.file = file;
      this.problemId = problemId;
    }

    private void problem(Node at, String message) {
      problems.add(new PolicyProblem(problemId, locate(file, at.getStartMark()), message));
    }

    JsonNode convert(Node node, String pointer, int depth) {
      JsonNodeFactory f = JsonNodeFactory.instance;
      if (seen.put(node, Boolean.TRUE) != null) {
        // The composer hands back the same node object for an alias.
        problem(node, "YAML aliases (*name) are not allowed; write the value out");
        return f.nullNode();
      }
      if (depth > MAX_NESTING) {
        problem(node, "nested more than " + MAX_NESTING + " levels deep");
        return f.nullNode();
      }
      values.put(pointer, node);
      if (node instanceof MappingNode m) {
        if (!m.getTag().equals(Tag.MAP)) {
          problem(node, "tag " + m.getTag() + " is not allowed; use a plain mapping");
        }
        ObjectNode obj = f.objectNode();
        for (NodeTuple t : m.getValue()) {
          Node k = t.getKeyNode();
          if (!(k instanceof ScalarNode ks) || !k.getTag().equals(Tag.STR)) {
            problem(k, "mapping keys must be plain strings");
            continue;
          }
          String key = ks.getValue();
          String child = pointer + "/" + escape(key);
          if (obj.has(key)) {
            problem(k, "duplicate key '" + key + "'");
            continue;
          }
          keys.put(child, k);
          obj.set(key, convert(t.getValueNode(), child, depth + 1));
        }
        return obj;
      }
      if (node instanceof SequenceNode s) {
        if (!s.getTag().equals(Tag.SEQ)) {
          problem(node, "tag " + s.getTag() + " is not allowed; use a plain sequence");
        }
        ArrayNode arr = f.arrayNode();
        int i = 0;
        for (Node item : s.getValue()) {
          arr.add(convert(item, pointer + "/" + i, depth + 1));
          i++;
        }
        return arr;
      }
      ScalarNode sc = (ScalarNode) node;
      Tag tag = sc.getTag();
      String v = sc.getValue();
      if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
        return f.textNode(v);
      }
      if (tag.equals(Tag.BOOL)) {
        return f.booleanNode(parseBool(v));
      }
      if (tag.equals(Tag.NULL)) {
        return f.nullNode();
      }
      if (tag.equals(Tag.INT)) {
        Long l = parseInt(v);
        if (l == null) {
          problem(
              node,
              "'" + v + "' is not an integer this loader accepts (64-bit, decimal or 0x hex)");
          return f.nullNode();
        }
        return f.numberNode(l);
      }
      if (tag.equals(Tag.FLOAT)) {
        try {
          double d = Double.parseDouble(v.replace("_", ""));
          if (Double.isFinite(d)) {
            return f.numberNode(d);
          }
        } catch (NumberFormatException e) {
          // Falls through: .inf, .nan and sexagesimal forms are refused below.
        }
        problem(node, "'" + v + "' is not a finite decimal number");
        return f.nullNode();
      }
      problem(node, "tag " + tag + " is not allowed; policies hold only plain YAML values");
      return f.nullNode();
    }

    private static boolean parseBool(String v) {
      String l = v.toLowerCase(java.util.Locale.ROOT);
      return l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y");
    }

    private static Long parseInt(String raw) {
      String v = raw.replace("_", "");
      try {
        if (v.startsWith("0x") || v.startsWith("+0x")) {
          return Long.parseLong(v.substring(v.indexOf('x') + 1), 16);
        }
        if (v.startsWith("-0x")) {
          return -Long.parseLong(v.substring(3), 16);
        }
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
