// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The answer of a policy to one request, with its explanation: the verdict, why, which rules
 * matched, did not match or failed, the combined obligations, and the policy name and version. An
 * auditor can re-run the same policy on the same input and get the same decision.
 *
 * <p>Immutable. {@link #outcomes()} lists every rule of the policy in document order; rules the
 * index skipped appear as {@link RuleOutcome.Status#NOT_APPLICABLE}.
 */
public final class Decision {

  /** Why the verdict is what it is. */
  public enum Reason {
    /** A permit rule matched and no forbid rule matched or failed. */
    PERMITTED,
    /** A forbid rule matched, or failed to evaluate (fail closed). */
    FORBIDDEN,
    /** No permit rule matched: deny by default. */
    NO_MATCHING_PERMIT
  }

  private final Policy policy;
  private final Verdict verdict;
  private final Reason reason;
  private final List<Rule> evaluatedRules;
  private final List<RuleOutcome> evaluated;
  private final Obligations obligations;

  Decision(
      Policy policy,
      Verdict verdict,
      Reason reason,
      List<Rule> evaluatedRules,
      List<RuleOutcome> evaluated,
      Obligations obligations) {
    this.policy = policy;
    this.verdict = verdict;
    this.reason = reason;
    this.evaluatedRules = evaluatedRules;
    this.evaluated = evaluated;
    this.obligations = obligations;
  }

  /** PERMIT or DENY. */
  public Verdict verdict() {
    return verdict;
  }

  /** Shorthand for {@code verdict() == Verdict.PERMIT}. */
  public boolean permitted() {
    return verdict == Verdict.PERMIT;
  }

  /** Why: permitted, forbidden, or no permit matched. */
  public Reason reason() {
    return reason;
  }

  /** Name of the policy that decided. */
  public String policyName() {
    return policy.name();
  }

  /** Version of the policy that decided (its {@code metadata.version}). */
  public long policyVersion() {
    return policy.version();
  }

  /**
   * The obligations of a permit: the most restrictive combination of every matching permit rule's
   * obligations. {@link Obligations#NONE} for a deny.
   */
  public Obligations obligations() {
    return obligations;
  }

  /**
   * The rules that decided: for a permit, the matching permit rules; for a forbid, the forbid rules
   * that matched or failed; for deny by default, none. In document order.
   */
  public List<RuleOutcome> decidedBy() {
    List<RuleOutcome> out = new ArrayList<>();
    Effect deciding = verdict == Verdict.PERMIT ? Effect.PERMIT : Effect.FORBID;
    for (RuleOutcome o : evaluatedInOrder()) {
      if (o.effect() == deciding && o.countsAsMatched()) {
        out.add(o);
      }
    }
    return out;
  }

  /** Names of every rule that counts as matched (errors count for forbid rules), in order. */
  public List<String> matchedRules() {
    List<String> out = new ArrayList<>();
    for (RuleOutcome o : evaluatedInOrder()) {
      if (o.countsAsMatched()) {
        out.add(o.rule());
      }
    }
    return out;
  }

  /** The outcomes of rules whose evaluation failed, with their errors. */
  public List<RuleOutcome> errors() {
    List<RuleOutcome> out = new ArrayList<>();
    for (RuleOutcome o : evaluatedInOrder()) {
      if (o.status() == RuleOutcome.Status.ERROR) {
        out.add(o);
      }
    }
    return out;
  }

  /** Every rule of the policy with its outcome, in document order. */
  public List<RuleOutcome> outcomes() {
    RuleOutcome[] all = new RuleOutcome[policy.rules().size()];
    for (int i = 0; i < evaluated.size(); i++) {
      all[evaluatedRules.get(i).index()] = evaluated.get(i);
    }
    List<RuleOutcome> out = new ArrayList<>(all.length);
    for (int i = 0; i < all.length; i++) {
      Rule r = policy.rules().get(i);
      out.add(
          all[i] != null
              ? all[i]
              : new RuleOutcome(
                  r.name(), r.effect(), RuleOutcome.Status.NOT_APPLICABLE, Optional.empty()));
    }
    return out;
  }

  private List<RuleOutcome> evaluatedInOrder() {
    List<Integer> order = new ArrayList<>(evaluated.size());
    for (int i = 0; i < evaluated.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> evaluatedRules.get(i).index()));
    List<RuleOutcome> out = new ArrayList<>(order.size());
    for (int i : order) {
      out.add(evaluated.get(i));
    }
    return out;
  }

  /**
   * A readable, multi-line explanation: verdict and reason, policy name and version, every rule and
   * its outcome (with errors), and the obligations.
   */
  public String explain() {
    StringBuilder sb = new StringBuilder();
    sb.append("policy ")
        .append(policy.name())
        .append(" v")
        .append(policy.version())
        .append(": ")
        .append(verdict.yamlName().toUpperCase(java.util.Locale.ROOT))
        .append(" (")
        .append(reasonText())
        .append(")\n");
    for (RuleOutcome o : outcomes()) {
      sb.append(String.format("  %-6s %-40s %s", o.effect().yamlName(), o.rule(), statusText(o)));
      sb.append('\n');
    }
    sb.append("obligations: ").append(obligations).append('\n');
    return sb.toString();
  }

  private String reasonText() {
    return switch (reason) {
      case PERMITTED -> "permitted by " + names(decidedBy());
      case FORBIDDEN -> "forbidden by " + names(decidedBy());
      case NO_MATCHING_PERMIT -> "no permit rule matched; deny by default";
    };
  }

  private static String names(List<RuleOutcome> outcomes) {
    List<String> n = new ArrayList<>();
    outcomes.forEach(o -> n.add(o.rule()));
    return String.join(", ", n);
  }

  private static String statusText(RuleOutcome o) {
    return switch (o.status()) {
      case MATCHED -> "matched";
      case NOT_MATCHED -> "not matched";
      case NOT_APPLICABLE -> "not matched (other model or data class)";
      case ERROR ->
          "error, counts as "
              + (o.effect() == Effect.FORBID ? "matched" : "not matched")
              + ": "
              + o.error().orElse("");
    };
  }

  @Override
  public String toString() {
    return verdict + " by " + policy.name() + " v" + policy.version() + " " + matchedRules();
  }
}
