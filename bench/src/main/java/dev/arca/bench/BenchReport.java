// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One run of {@code ./arca bench}: every suite's figures in one table, with the commit, the machine
 * and the load average before and after, as Markdown (for docs/benchmarks.md) and JSON (for tools).
 *
 * @param commit the git commit measured ({@code +dirty} when the tree had changes)
 * @param started when the run began
 * @param command the command line that produced it
 * @param machine what it ran on
 * @param loadBefore the load average at the start
 * @param loadAfter the load average at the end
 * @param results each suite's result, in run order
 */
public record BenchReport(
    String commit,
    Instant started,
    String command,
    Machine machine,
    String loadBefore,
    String loadAfter,
    List<SuiteResult> results) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BenchReport {
    results = List.copyOf(results);
  }

  /** The report as a Markdown section. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("### Run of ").append(started).append(" (").append(commit).append(")\n\n");
    md.append("Command: `").append(command).append("`  \n");
    md.append("Machine: ")
        .append(machine.cpu())
        .append(", ")
        .append(machine.cores())
        .append(" cores, ")
        .append(machine.memoryMiB())
        .append(" MiB, ")
        .append(machine.jdk())
        .append(", ")
        .append(machine.os())
        .append("  \n");
    md.append("Load average (1, 5, 15 min): ")
        .append(loadBefore)
        .append(" before, ")
        .append(loadAfter)
        .append(" after\n\n");
    md.append("| suite | figure | value | baseline | ratio | goal | met | load (1 min) |\n");
    md.append("|---|---|---:|---|---:|---|---|---|\n");
    for (SuiteResult r : results) {
      String load = firstField(r.loadBefore()) + " → " + firstField(r.loadAfter());
      if (!r.succeeded()) {
        md.append("| ")
            .append(r.suite().name())
            .append(" | **failed** (exit ")
            .append(r.exitCode())
            .append(", ")
            .append(r.figures().size())
            .append(" figures; log `")
            .append(r.log().getFileName())
            .append("`) | | | | | | ")
            .append(load)
            .append(" |\n");
      }
      for (Figure f : r.figures()) {
        md.append("| ")
            .append(f.suite())
            .append(" | ")
            .append(f.name())
            .append(" | ")
            .append(number(f.value()))
            .append(' ')
            .append(f.unit())
            .append(" | ")
            .append(f.baseline().equals("-") ? "" : f.baseline())
            .append(" | ")
            .append(Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", f.ratio()))
            .append(" | ")
            .append(f.goal().equals("-") ? "" : f.goal().replace("<=", " ≤ ").replace(">=", " ≥ "))
            .append(" | ")
            .append(f.met().map(m -> m ? "met" : "**missed**").orElse(""))
            .append(" | ")
            .append(load)
            .append(" |\n");
      }
    }
    md.append(
        "\nRatio: the figure's cost divided by its baseline's, measured in the same process.");
    md.append(
        " Each suite by hand (from the repository root, after the build `./arca bench` runs):\n\n");
    for (SuiteResult r : results) {
      md.append("- ")
          .append(r.suite().name())
          .append(" (")
          .append(seconds(r.took()))
          .append("): `")
          .append(r.suite().command())
          .append("`\n");
    }
    return md.toString();
  }

  /** The report as JSON: the same fields, numbers as numbers. */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("commit", commit);
    root.put("started", started.toString());
    root.put("command", command);
    ObjectNode m = root.putObject("machine");
    m.put("cpu", machine.cpu());
    m.put("cores", machine.cores());
    m.put("memoryMiB", machine.memoryMiB());
    m.put("jdk", machine.jdk());
    m.put("os", machine.os());
    root.put("loadBefore", loadBefore);
    root.put("loadAfter", loadAfter);
    ArrayNode suites = root.putArray("suites");
    for (SuiteResult r : results) {
      ObjectNode s = suites.addObject();
      s.put("name", r.suite().name());
      s.put("what", r.suite().what());
      s.put("command", r.suite().command());
      s.put("succeeded", r.succeeded());
      s.put("exitCode", r.exitCode());
      s.put("seconds", r.took().toMillis() / 1000.0);
      s.put("loadBefore", r.loadBefore());
      s.put("loadAfter", r.loadAfter());
      ArrayNode figures = s.putArray("figures");
      for (Figure f : r.figures()) {
        ObjectNode o = figures.addObject();
        o.put("name", f.name());
        o.put("value", f.value());
        o.put("unit", f.unit());
        if (!f.baseline().equals("-")) {
          o.put("baseline", f.baseline());
        }
        if (!Double.isNaN(f.ratio())) {
          o.put("ratio", f.ratio());
        }
        if (!f.goal().equals("-")) {
          o.put("goal", f.goal());
        }
        f.met().ifPresent(met -> o.put("met", met));
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values did not serialise", e);
    }
  }

  private static String firstField(String load) {
    int space = load.indexOf(' ');
    return space < 0 ? load : load.substring(0, space);
  }

  private static String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 1 ? "%.2f" : "%.3g", v);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
  }
}
