// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the rules that could match a request, by model id and data class, so a decision evaluates a
 * few rules instead of all of them. A rule whose condition constrains {@code model.id} (see {@link
 * RuleConstraints}) is filed under each of its model ids; one that constrains only {@code
 * data.class} under each of its data classes; every other rule goes to the always-evaluated bucket.
 * The result is the same as evaluating every rule (tests check this on random inputs).
 */
final class RuleIndex {

  private static final Rule[] NO_RULES = new Rule[0];

  private final Map<String, Rule[]> byModel;
  private final Map<String, Rule[]> byDataClass;
  private final Rule[] always;

  RuleIndex(List<Rule> rules) {
    Map<String, List<Rule>> models = new HashMap<>();
    Map<String, List<Rule>> classes = new HashMap<>();
    List<Rule> rest = new ArrayList<>();
    for (Rule r : rules) {
      RuleConstraints c = r.constraints();
      if (c.modelIds() != null) {
        for (String m : c.modelIds()) {
          models.computeIfAbsent(m, k -> new ArrayList<>()).add(r);
        }
      } else if (c.dataClasses() != null) {
        for (String d : c.dataClasses()) {
          classes.computeIfAbsent(d, k -> new ArrayList<>()).add(r);
        }
      } else {
        rest.add(r);
      }
    }
    this.byModel = freeze(models);
    this.byDataClass = freeze(classes);
    this.always = rest.toArray(NO_RULES);
  }

  private static Map<String, Rule[]> freeze(Map<String, List<Rule>> m) {
    Map<String, Rule[]> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v.toArray(NO_RULES)));
    return Map.copyOf(out);
  }

  /**
   * Calls {@code visitor} for each rule that could match a request for this model id and data
   * class; each such rule exactly once.
   */
  void candidates(String modelId, String dataClass, java.util.function.Consumer<Rule> visitor) {
    for (Rule r : byModel.getOrDefault(modelId, NO_RULES)) {
      // Rules filed by model may also constrain the data class: a cheap set lookup skips them.
      if (r.constraints().admits(modelId, dataClass)) {
        visitor.accept(r);
      }
    }
    for (Rule r : byDataClass.getOrDefault(dataClass, NO_RULES)) {
      visitor.accept(r);
    }
    for (Rule r : always) {
      visitor.accept(r);
    }
  }

  /** How many rules are evaluated for every request (for lint output and the benchmark). */
  int alwaysEvaluated() {
    return always.length;
  }
}
