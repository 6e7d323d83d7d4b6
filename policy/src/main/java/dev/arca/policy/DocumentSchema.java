// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A JSON schema (draft 2020-12) for one of the module's YAML document kinds, applied to the YAML
 * tree before anything else looks at it, with each violation located in the YAML file. The schemas
 * are kept beside this class: {@code policy.schema.json} and {@code fixture.schema.json}.
 */
final class DocumentSchema {

  /** Policy documents; checked before any CEL is compiled. */
  static final DocumentSchema POLICY = new DocumentSchema("policy.schema.json");

  /** Fixture documents of {@code arca policy test}. */
  static final DocumentSchema FIXTURE = new DocumentSchema("fixture.schema.json");

  private final Schema schema;

  private DocumentSchema(String resource) {
    this.schema = load(resource);
  }

  private static Schema load(String resource) {
    try (InputStream in = DocumentSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      SchemaRegistry registry =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
      return registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every schema violation of the document, located, in file order, with the given problem id. */
  List<PolicyProblem> check(PositionedYaml doc, String problemId) {
    List<Error> errors = schema.validate(doc.root());
    List<PolicyProblem> out = new ArrayList<>();
    for (Error e : errors) {
      String pointer = pointer(e.getInstanceLocation());
      String keyword = e.getKeyword() == null ? "" : e.getKeyword();
      SourceLocation at;
      if (keyword.equals("additionalProperties") && e.getProperty() != null) {
        at = doc.locateKey(pointer + "/" + PositionedYaml.escape(e.getProperty()));
      } else {
        at = doc.locate(pointer);
      }
      out.add(new PolicyProblem(problemId, at, message(pointer, keyword, e)));
    }
    out.sort(
        Comparator.comparingInt((PolicyProblem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    return dedupe(out);
  }

  private static List<PolicyProblem> dedupe(List<PolicyProblem> in) {
    List<PolicyProblem> out = new ArrayList<>();
    for (PolicyProblem p : in) {
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static String message(String pointer, String keyword, Error e) {
    String where = pointer.isEmpty() ? "document" : pointer.substring(1).replace('/', '.');
    return switch (keyword) {
      case "additionalProperties" ->
          where + ": unknown field '" + e.getProperty() + "' (check the spelling)";
      case "required" -> where + ": missing required field '" + e.getProperty() + "'";
      default -> {
        String m = e.getMessage();
        // networknt prefixes the instance path; keep ours, which matches the YAML keys.
        int colon = m.indexOf(": ");
        yield where + ": " + (colon >= 0 && m.startsWith("$") ? m.substring(colon + 2) : m);
      }
    };
  }

  private static String pointer(NodePath path) {
    StringBuilder sb = new StringBuilder();
    if (path == null) {
      return "";
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      Object el = path.getElement(i);
      sb.append('/').append(PositionedYaml.escape(String.valueOf(el)));
    }
    return sb.toString();
  }
}
