// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and type-checks rule conditions against {@link PolicyVariables} (CEL spec: "Syntax", "Type
 * Checking"), and plans them for evaluation. A condition that passes here cannot fail to type-check
 * at decision time; it can only fail at run time on a dynamic value (a missing map key, a claim of
 * another type), which decisions treat as fail-closed.
 */
final class ConditionCompiler {

  /** Bounds the work one condition can do with macros like {@code exists} over large lists. */
  private static final int MAX_COMPREHENSION_ITERATIONS = 10_000;

  private static final Cel CEL = build();

  private ConditionCompiler() {}

  private static Cel build() {
    var builder =
        CelFactory.legacyCelBuilder()
            .setOptions(
                CelOptions.current()
                    .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
                    .maxExpressionCodePointSize(16_384)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(PolicyVariables.TYPES)
            .setResultType(SimpleType.BOOL);
    for (Map.Entry<String, CelType> v : PolicyVariables.VARIABLES.entrySet()) {
      builder.addVar(v.getKey(), v.getValue());
    }
    return builder.build();
  }

  /** A compiled condition, or the problems that stop it from compiling. */
  record Result(
      CelRuntime.Program program,
      RuleConstraints constraints,
      CelSource source,
      List<Problem> problems) {}

  /**
   * A problem inside the condition text.
   *
   * @param line 1-based line within the condition
   * @param column 0-based column within that line
   */
  record Problem(String id, int line, int column, String message) {}

  static Result compile(String condition) {
    CelValidationResult parsed = CEL.parse(condition);
    if (parsed.hasError()) {
      return failed(PolicyProblem.CEL_SYNTAX, parsed.getErrors());
    }
    CelAbstractSyntaxTree ast;
    try {
      CelValidationResult checked = CEL.check(parsed.getAst());
      if (checked.hasError()) {
        return failed(PolicyProblem.CEL_TYPE, checked.getErrors());
      }
      ast = checked.getAst();
    } catch (dev.cel.common.CelValidationException e) {
      return failed(PolicyProblem.CEL_SYNTAX, e.getErrors());
    }
    List<Problem> problems = new ArrayList<>();
    checkEnumeratedLiterals(ast, ast.getExpr(), problems);
    if (!problems.isEmpty()) {
      return new Result(null, null, null, problems);
    }
    try {
      return new Result(
          CEL.createProgram(ast), RuleConstraints.of(ast.getExpr()), ast.getSource(), List.of());
    } catch (CelEvaluationException e) {
      return new Result(
          null, null, null, List.of(new Problem(PolicyProblem.CEL_TYPE, 1, 0, e.getMessage())));
    }
  }

  private static Result failed(String id, List<CelIssue> issues) {
    List<Problem> problems = new ArrayList<>();
    for (CelIssue i : issues) {
      CelSourceLocation l = i.getSourceLocation();
      int line = l.getLine() > 0 ? l.getLine() : 1;
      int col = Math.max(l.getColumn(), 0);
      problems.add(new Problem(id, line, col, i.getMessage()));
    }
    return new Result(null, null, null, problems);
  }

  /**
   * Refuses comparisons of enumerated variables with values they can never hold, e.g. {@code
   * evidence.earStatus == "afirming"}: such a typo silently turns a forbid rule off.
   */
  private static void checkEnumeratedLiterals(
      CelAbstractSyntaxTree ast, CelExpr e, List<Problem> out) {
    if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
      String fn = e.call().function();
      if ((fn.equals("_==_") || fn.equals("_!=_") || fn.equals("@in"))
          && e.call().args().size() == 2) {
        for (Map.Entry<String, Set<String>> f : PolicyVariables.ENUMERATED_FIELDS.entrySet()) {
          String[] parts = f.getKey().split("\\.", -1);
          List<CelExpr> args = e.call().args();
          for (int side = 0; side < 2; side++) {
            if (!RuleConstraints.isField(args.get(side), parts[0], parts[1])) {
              continue;
            }
            CelExpr other = args.get(1 - side);
            List<CelExpr> literals =
                other.getKind() == CelExpr.ExprKind.Kind.LIST
                    ? other.list().elements()
                    : List.of(other);
            for (CelExpr lit : literals) {
              String s = RuleConstraints.stringConstant(lit);
              if (s != null && !f.getValue().contains(s)) {
                CelSourceLocation at = position(ast, lit);
                out.add(
                    new Problem(
                        PolicyProblem.UNKNOWN_VALUE,
                        at.getLine(),
                        at.getColumn(),
                        f.getKey()
                            + " is never '"
                            + s
                            + "'; it is one of "
                            + String.join(", ", new java.util.TreeSet<>(f.getValue()))));
              }
            }
          }
        }
      }
      e.call().target().ifPresent(t -> checkEnumeratedLiterals(ast, t, out));
      for (CelExpr a : e.call().args()) {
        checkEnumeratedLiterals(ast, a, out);
      }
    } else if (e.getKind() == CelExpr.ExprKind.Kind.LIST) {
      for (CelExpr a : e.list().elements()) {
        checkEnumeratedLiterals(ast, a, out);
      }
    } else if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
      checkEnumeratedLiterals(ast, e.select().operand(), out);
    } else if (e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
      var c = e.comprehension();
      checkEnumeratedLiterals(ast, c.iterRange(), out);
      checkEnumeratedLiterals(ast, c.accuInit(), out);
      checkEnumeratedLiterals(ast, c.loopCondition(), out);
      checkEnumeratedLiterals(ast, c.loopStep(), out);
      checkEnumeratedLiterals(ast, c.result(), out);
    } else if (e.getKind() == CelExpr.ExprKind.Kind.MAP) {
      for (var entry : e.map().entries()) {
        checkEnumeratedLiterals(ast, entry.key(), out);
        checkEnumeratedLiterals(ast, entry.value(), out);
      }
    }
  }

  private static CelSourceLocation position(CelAbstractSyntaxTree ast, CelExpr e) {
    Integer offset = ast.getSource().getPositionsMap().get(e.id());
    if (offset == null) {
      return CelSourceLocation.of(1, 0);
    }
    return ast.getSource().getOffsetLocation(offset).orElse(CelSourceLocation.of(1, 0));
  }
}
