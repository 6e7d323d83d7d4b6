// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A loaded policy: every condition parsed and type-checked, ready to decide. Immutable and
 * thread-safe; load once with {@link PolicyLoader}, call {@link #decide} for every request.
 *
 * <p>Semantics (see the module README): deny by default; any matching forbid rule denies; a permit
 * needs at least one matching permit rule; the obligations of all matching permit rules combine to
 * the most restrictive; a rule whose evaluation fails counts as matched if it is a forbid rule and
 * as not matched if it is a permit rule (fail closed), and the error is in the decision.
 */
public final class Policy {

  private final String apiVersion;
  private final String name;
  private final long version;
  private final String source;
  private final String sha256;
  private final List<Rule> rules;
  private final RuleIndex index;
  private final Set<String> withoutReferenceValues;

  Policy(
      String apiVersion,
      String name,
      long version,
      String source,
      String sha256,
      List<Rule> rules,
      Set<String> withoutReferenceValues) {
    this.apiVersion = Objects.requireNonNull(apiVersion);
    this.name = Objects.requireNonNull(name);
    this.version = version;
    this.source = Objects.requireNonNull(source);
    this.sha256 = Objects.requireNonNull(sha256);
    this.rules = List.copyOf(rules);
    this.index = new RuleIndex(this.rules);
    this.withoutReferenceValues = Set.copyOf(withoutReferenceValues);
  }

  /**
   * The hardware evidence formats this policy lets be appraised without an applicable
   * reference-value set ({@code appraisal.withoutReferenceValues}); empty unless the document says
   * so explicitly.
   */
  public Set<String> withoutReferenceValues() {
    return withoutReferenceValues;
  }

  /** The document's {@code apiVersion}. */
  public String apiVersion() {
    return apiVersion;
  }

  /** {@code metadata.name}. */
  public String name() {
    return name;
  }

  /** {@code metadata.version}: increases with every change of the policy. */
  public long version() {
    return version;
  }

  /** The file (or description) the policy was loaded from. */
  public String source() {
    return source;
  }

  /**
   * SHA-256 (lowercase hex) of the document's UTF-8 text exactly as loaded. Record it with each
   * decision so an auditor can check that a replay uses the very same policy text, not only the
   * same name and version.
   */
  public String sha256() {
    return sha256;
  }

  /** The rules in document order. */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * How many rules every decision evaluates because their condition names no model or data class.
   */
  public int alwaysEvaluatedRules() {
    return index.alwaysEvaluated();
  }

  /**
   * Decides one request. Evaluates only the rules that could match the request's model and data
   * class; the result is the same as evaluating every rule. Never throws for a valid input: rule
   * failures are part of the decision.
   *
   * @param input the request (see {@link DecisionInput})
   * @return the decision with its explanation
   */
  public Decision decide(DecisionInput input) {
    Map<String, Object> activation = PolicyVariables.activation(input);
    List<Rule> evaluatedRules = new ArrayList<>();
    index.candidates(input.model().id(), input.dataClass(), evaluatedRules::add);
    return decide(activation, evaluatedRules);
  }

  /** The naive baseline: evaluates every rule. For tests and the benchmark only. */
  Decision decideEvaluatingEveryRule(DecisionInput input) {
    return decide(PolicyVariables.activation(input), rules);
  }

  private Decision decide(Map<String, Object> activation, List<Rule> candidates) {
    List<RuleOutcome> outcomes = new ArrayList<>(candidates.size());
    boolean forbidden = false;
    boolean permitted = false;
    Obligations obligations = null;
    for (Rule r : candidates) {
      RuleOutcome o = r.evaluate(activation);
      outcomes.add(o);
      if (!o.countsAsMatched()) {
        continue;
      }
      if (r.effect() == Effect.FORBID) {
        forbidden = true;
      } else {
        permitted = true;
        obligations =
            obligations == null ? r.obligations() : obligations.mostRestrictive(r.obligations());
      }
    }
    Verdict verdict;
    Decision.Reason reason;
    if (forbidden) {
      verdict = Verdict.DENY;
      reason = Decision.Reason.FORBIDDEN;
    } else if (permitted) {
      verdict = Verdict.PERMIT;
      reason = Decision.Reason.PERMITTED;
    } else {
      verdict = Verdict.DENY;
      reason = Decision.Reason.NO_MATCHING_PERMIT;
    }
    return new Decision(
        this,
        verdict,
        reason,
        List.copyOf(candidates),
        outcomes,
        verdict == Verdict.PERMIT ? obligations : Obligations.NONE);
  }

  @Override
  public String toString() {
    return "policy " + name + " v" + version + " (" + rules.size() + " rules, " + source + ")";
  }
}
