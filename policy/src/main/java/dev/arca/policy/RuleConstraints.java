// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a rule's condition implies about the request's model id and data class, derived from its
 * checked CEL syntax tree, so the {@link RuleIndex} can skip rules that cannot match.
 *
 * <p>Soundness argument: a condition {@code c1 && c2 && ... && cn} is true only if every {@code ci}
 * is true. If some {@code ci} is {@code model.id == "m"} (either operand order) or {@code model.id
 * in ["m1", "m2"]}, the condition can only be true when the request's model id is one of those
 * literals. For any other model id that conjunct is false, and CEL's {@code &&} is false whenever
 * one operand is false, even if another operand errors (CEL spec, "Logical operators"), so the
 * condition evaluates to false, not to an error: skipping the rule gives the same result as
 * evaluating it, for forbid rules too. {@code model.id} and {@code data.class} are always present
 * strings, so these conjuncts never error themselves. Anything else (disjunctions, negations,
 * comprehensions) implies no constraint, and the rule is always evaluated.
 *
 * @param modelIds the model ids the rule can match, or null for any
 * @param dataClasses the data classes the rule can match, or null for any
 */
record RuleConstraints(Set<String> modelIds, Set<String> dataClasses) {

  static final RuleConstraints NONE = new RuleConstraints(null, null);

  boolean admits(String modelId, String dataClass) {
    return (modelIds == null || modelIds.contains(modelId))
        && (dataClasses == null || dataClasses.contains(dataClass));
  }

  /** Derives the constraints of a checked condition. */
  static RuleConstraints of(CelExpr condition) {
    List<CelExpr> conjuncts = new ArrayList<>();
    flattenAnd(condition, conjuncts);
    Set<String> models = null;
    Set<String> classes = null;
    for (CelExpr c : conjuncts) {
      Set<String> m = literalsFor(c, PolicyVariables.MODEL, "id");
      if (m != null) {
        models = intersect(models, m);
      }
      Set<String> d = literalsFor(c, PolicyVariables.DATA, "class");
      if (d != null) {
        classes = intersect(classes, d);
      }
    }
    return new RuleConstraints(
        models == null ? null : Set.copyOf(models), classes == null ? null : Set.copyOf(classes));
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    if (a == null) {
      return new HashSet<>(b);
    }
    a.retainAll(b);
    return a;
  }

  private static void flattenAnd(CelExpr e, List<CelExpr> out) {
    if (e.getKind() == CelExpr.ExprKind.Kind.CALL
        && e.call().function().equals("_&&_")
        && e.call().target().isEmpty()
        && e.call().args().size() == 2) {
      flattenAnd(e.call().args().get(0), out);
      flattenAnd(e.call().args().get(1), out);
    } else {
      out.add(e);
    }
  }

  /**
   * For {@code var.field == "lit"}, {@code "lit" == var.field} or {@code var.field in ["a", ...]},
   * the literals; otherwise null.
   */
  static Set<String> literalsFor(CelExpr e, String var, String field) {
    if (e.getKind() != CelExpr.ExprKind.Kind.CALL || e.call().target().isPresent()) {
      return null;
    }
    List<CelExpr> args = e.call().args();
    if (args.size() != 2) {
      return null;
    }
    String fn = e.call().function();
    if (fn.equals("_==_")) {
      if (isField(args.get(0), var, field) && stringConstant(args.get(1)) != null) {
        return Set.of(stringConstant(args.get(1)));
      }
      if (isField(args.get(1), var, field) && stringConstant(args.get(0)) != null) {
        return Set.of(stringConstant(args.get(0)));
      }
      return null;
    }
    if (fn.equals("@in")
        && isField(args.get(0), var, field)
        && args.get(1).getKind() == CelExpr.ExprKind.Kind.LIST
        && args.get(1).list().optionalIndices().isEmpty()) {
      Set<String> out = new HashSet<>();
      for (CelExpr el : args.get(1).list().elements()) {
        String s = stringConstant(el);
        if (s == null) {
          return null;
        }
        out.add(s);
      }
      return out;
    }
    return null;
  }

  static boolean isField(CelExpr e, String var, String field) {
    return e.getKind() == CelExpr.ExprKind.Kind.SELECT
        && !e.select().testOnly()
        && e.select().field().equals(field)
        && e.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
        && e.select().operand().ident().name().equals(var);
  }

  static String stringConstant(CelExpr e) {
    if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
      return e.constant().stringValue();
    }
    return null;
  }
}
