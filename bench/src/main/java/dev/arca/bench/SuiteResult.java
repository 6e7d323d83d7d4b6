// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one suite's run gave.
 *
 * @param suite the suite
 * @param figures its figure lines, in the order printed
 * @param loadBefore the load average when it started
 * @param loadAfter the load average when it ended
 * @param took its wall-clock time
 * @param exitCode its JVM's exit code (0 when it succeeded; -1 when it was stopped for taking too
 *     long)
 * @param log the file holding its whole output
 */
public record SuiteResult(
    Suite suite,
    List<Figure> figures,
    String loadBefore,
    String loadAfter,
    Duration took,
    int exitCode,
    Path log) {

  public SuiteResult {
    figures = List.copyOf(figures);
  }

  /** Exit 0 and at least one figure: a suite that printed none measured nothing we can quote. */
  public boolean succeeded() {
    return exitCode == 0 && !figures.isEmpty();
  }
}
