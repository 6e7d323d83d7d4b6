// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import dev.cel.common.CelErrorCode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of a loaded policy: its name, effect, CEL condition (already parsed and type-checked),
 * obligations and where it is written. Immutable and thread-safe.
 */
public final class Rule {

  private final int index;
  private final String name;
  private final Effect effect;
  private final String condition;
  private final String description;
  private final Obligations obligations;
  private final SourceLocation location;
  private final CelRuntime.Program program;
  private final RuleConstraints constraints;
  private final IntFunction<SourceLocation> offsetLocator;

  Rule(
      int index,
      String name,
      Effect effect,
      String condition,
      String description,
      Obligations obligations,
      SourceLocation location,
      CelRuntime.Program program,
      RuleConstraints constraints,
      IntFunction<SourceLocation> offsetLocator) {
    this.index = index;
    this.name = Objects.requireNonNull(name);
    this.effect = Objects.requireNonNull(effect);
    this.condition = Objects.requireNonNull(condition);
    this.description = description;
    this.obligations = Objects.requireNonNull(obligations);
    this.location = Objects.requireNonNull(location);
    this.program = Objects.requireNonNull(program);
    this.constraints = Objects.requireNonNull(constraints);
    this.offsetLocator = Objects.requireNonNull(offsetLocator);
  }

  /** The rule's name, unique within its policy. */
  public String name() {
    return name;
  }

  /** Permit or forbid. */
  public Effect effect() {
    return effect;
  }

  /** The CEL condition as written. */
  public String condition() {
    return condition;
  }

  /** The author's description, if any. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** Obligations of a permit rule; {@link Obligations#NONE} for forbid rules. */
  public Obligations obligations() {
    return obligations;
  }

  /** Where the rule starts in its file. */
  public SourceLocation location() {
    return location;
  }

  /** Position of the rule in the document, from 0. */
  int index() {
    return index;
  }

  RuleConstraints constraints() {
    return constraints;
  }

  /** Evaluates the condition; any failure becomes an {@link RuleOutcome.Status#ERROR} outcome. */
  RuleOutcome evaluate(java.util.Map<String, ?> activation) {
    Object result;
    try {
      result = program.eval(activation);
    } catch (CelEvaluationException e) {
      return new RuleOutcome(name, effect, RuleOutcome.Status.ERROR, Optional.of(errorText(e)));
    } catch (RuntimeException e) {
      return new RuleOutcome(
          name, effect, RuleOutcome.Status.ERROR, Optional.of(String.valueOf(e.getMessage())));
    }
    if (result instanceof Boolean b) {
      return new RuleOutcome(
          name,
          effect,
          b ? RuleOutcome.Status.MATCHED : RuleOutcome.Status.NOT_MATCHED,
          Optional.empty());
    }
    // Cannot happen for a type-checked bool condition; fail closed all the same.
    return new RuleOutcome(
        name, effect, RuleOutcome.Status.ERROR, Optional.of("condition did not yield a bool"));
  }

  /**
   * The runtime's message, with its character offset in the condition turned into the file, line
   * and column a policy author can open: {@code policy.yaml:32:35: key 'hardware' not found}.
   */
  private String errorText(CelEvaluationException e) {
    String m = String.valueOf(e.getMessage());
    Matcher at = RUNTIME_POSITION.matcher(m);
    if (!at.matches()) {
      return m;
    }
    String where = offsetLocator.apply(Integer.parseInt(at.group(1))) + ": ";
    String what = at.group(2);
    if (e.getErrorCode() == CelErrorCode.ATTRIBUTE_NOT_FOUND) {
      return where + "key '" + what + "' not found";
    }
    return where + what;
  }

  private static final Pattern RUNTIME_POSITION =
      Pattern.compile("evaluation error at [^:]*:(\\d+): (.*)", Pattern.DOTALL);

  @Override
  public String toString() {
    return effect.yamlName() + " " + name + " (" + location + ")";
  }
}
