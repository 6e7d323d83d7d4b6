// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ./arca bench}: runs every {@link Suites suite} (or those {@code --only} selects), each in
 * a JVM of its own beside its baseline, then writes one table as Markdown and JSON into {@code
 * --out} (default {@code bench/results}) named by the start time and the commit. Exit 0 when every
 * suite ran and printed figures, 1 when one failed (the table says which), 2 for a usage error.
 */
public final class BenchCommand {
  /** How to get the suites built: the script builds them before it starts this class. */
  static final String BUILD_HINT = "./arca bench builds every suite before it runs them";

  private static final String USAGE =
      "usage: ./arca bench [--only REGEX] [--out DIR] [--timeout MINUTES] [--list]";

  private BenchCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, Path.of("").toAbsolutePath(), System.out));
  }

  /** Runs the command in {@code root}; returns the exit code. */
  static int run(String[] args, Path root, PrintStream out) throws Exception {
    return run(args, root, out, Suites.ALL);
  }

  static int run(String[] args, Path root, PrintStream out, List<Suite> suites)
      throws IOException, InterruptedException {
    Pattern only = Pattern.compile(".*");
    Path dir = root.resolve("bench/results");
    Duration timeout = Duration.ofMinutes(30);
    boolean list = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--only" -> only = Pattern.compile(value(args, ++i));
          case "--out" -> dir = root.resolve(value(args, ++i));
          case "--timeout" -> timeout = Duration.ofMinutes(Long.parseLong(value(args, ++i)));
          case "--list" -> list = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) { // also a bad regex or a number that is not one
      out.println("arca bench: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    List<Suite> chosen = new ArrayList<>();
    for (Suite s : suites) {
      if (only.matcher(s.name()).matches()) {
        chosen.add(s);
      }
    }
    if (list) {
      chosen.forEach(s -> out.println(s.name() + "\t" + s.what()));
      return 0;
    }
    if (chosen.isEmpty()) {
      out.println("arca bench: no suite matches --only " + only + "; --list shows them");
      return 2;
    }
    Instant started = Instant.now();
    String commit = Git.describe(root);
    String stem =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started)
            + "-"
            + commit.replace("+", "-");
    Path logs = dir.resolve(stem + "-logs");
    String loadBefore = Machine.loadAverage();
    SuiteRunner runner = new SuiteRunner(root, logs, out, timeout);
    List<SuiteResult> results = new ArrayList<>();
    for (Suite s : chosen) {
      out.println("arca bench: " + s.name() + " — " + s.what());
      try {
        results.add(runner.run(s));
      } catch (IOException e) {
        out.println("arca bench: " + s.name() + " did not start: " + e.getMessage());
        String load = Machine.loadAverage();
        results.add(new SuiteResult(s, List.of(), load, load, Duration.ZERO, -1, logs));
      }
    }
    BenchReport report =
        new BenchReport(
            commit,
            started,
            String.join(" ", "./arca bench", String.join(" ", args)).trim(),
            Machine.current(),
            loadBefore,
            Machine.loadAverage(),
            results);
    Files.createDirectories(dir);
    Path md = dir.resolve(stem + ".md");
    Files.writeString(md, report.markdown(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(stem + ".json"), report.json(), StandardCharsets.UTF_8);
    out.println();
    out.println(report.markdown());
    out.println("arca bench: wrote " + md + " and its .json; suite logs in " + logs);
    return results.stream().allMatch(SuiteResult::succeeded) ? 0 : 1;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
