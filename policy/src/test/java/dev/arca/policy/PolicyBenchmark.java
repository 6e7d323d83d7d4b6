// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decision latency with 10, 100 and 1,000 rules: {@link Policy#decide} (indexed by model id and
 * data class) beside the naive baseline that evaluates every rule of the same policy. Run with
 * {@link PolicyBenchmarkMain}; the command and figures are in docs/benchmarks.md.
 *
 * <p>The policy is shaped like a real deployment: five global forbid rules (revoked, debug,
 * contraindicated appraisal, data class not in the manifest, software attester for sensitive
 * classes) and, per model, permit rules for each data class plus a forbid rule for old versions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class PolicyBenchmark {

  private static final String[] CLASSES = {"phi", "pci", "deidentified", "synthetic"};

  @Param({"10", "100", "1000"})
  public int rules;

  private Policy policy;
  private DecisionInput input;

  @Setup
  public void setUp() throws PolicyLoadException {
    policy = PolicyLoader.parse(policyWith(rules), "bench.yaml");
    int models = Math.max(1, (rules - 5) / 5);
    input =
        DecisionInput.builder()
            .device(
                DeviceFacts.builder()
                    .id("ws-1")
                    .deviceClass("clinical-workstation")
                    .site("st-mary")
                    .owner("radiology")
                    .attributes(Map.of("firmware", "1.8.2"))
                    .enrolmentMethod("tpm-ek")
                    .enrolledAt(Instant.parse("2026-01-01T00:00:00Z"))
                    .revoked(false)
                    .build())
            .evidence(TestInputs.tpm().build())
            .model(
                ModelFacts.builder()
                    .id("model-" + (models / 2))
                    .version(4)
                    .dataClasses(List.of("phi", "deidentified"))
                    .publisher("ml")
                    .build())
            .dataClass("phi")
            .purpose("treatment")
            .time(Instant.parse("2026-11-25T12:00:00Z"))
            .build();
    Decision check = policy.decide(input);
    if (!check.permitted()
        || !check.matchedRules().equals(policy.decideEvaluatingEveryRule(input).matchedRules())) {
      throw new IllegalStateException("benchmark input must be permitted: " + check.explain());
    }
  }

  /** 5 global forbids, then per model 4 permits (one per data class) and 1 forbid. */
  static String policyWith(int n) {
    StringBuilder sb =
        new StringBuilder(
            """
            apiVersion: arca.dev/v1alpha1
            kind: Policy
            metadata: {name: bench, version: 1}
            rules:
            """);
    String[] global = {
      "device.revoked",
      "evidence.debug",
      "evidence.earStatus == 'contraindicated'",
      "!(data.class in model.dataClasses)",
      "!evidence.hardwareRooted && data.class in ['phi', 'pci']"
    };
    int written = 0;
    for (int i = 0; i < global.length && written < n; i++, written++) {
      sb.append(rule("global-" + i, "forbid", global[i]));
    }
    for (int m = 0; written < n; m++) {
      for (int c = 0; c < CLASSES.length && written < n; c++, written++) {
        sb.append(
            rule(
                "model-" + m + "-" + CLASSES[c],
                "permit",
                "model.id == 'model-"
                    + m
                    + "' && data.class == '"
                    + CLASSES[c]
                    + "' && evidence.hardwareRooted && evidence.tcbStatus == 'up-to-date'"
                    + " && device.site in ['st-mary', 'city-general']"
                    + " && request.purpose in ['treatment', 'operations']"));
      }
      if (written < n) {
        sb.append(
            rule(
                "model-" + m + "-old",
                "forbid",
                "model.id == 'model-" + m + "' && model.version < 2"));
        written++;
      }
    }
    return sb.toString();
  }

  private static String rule(String name, String effect, String when) {
    return "  - name: " + name + "\n    effect: " + effect + "\n    when: \"" + when + "\"\n";
  }

  @Benchmark
  public Decision indexed() {
    return policy.decide(input);
  }

  @Benchmark
  public Decision naiveEveryRule() {
    return policy.decideEvaluatingEveryRule(input);
  }
}
