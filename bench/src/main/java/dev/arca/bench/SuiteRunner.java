// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Suite} in a JVM of its own (this JVM's {@code java}), copying its output to a log
 * file and to {@code console}, and collecting its {@link Figure} lines.
 */
public final class SuiteRunner {
  private final Path root;
  private final Path logDirectory;
  private final PrintStream console;
  private final Duration timeout;

  /**
   * @param root the repository root
   * @param logDirectory where each suite's log ({@code <suite>.log}) is written
   * @param console where the suites' output is echoed as it comes
   * @param timeout how long a suite may run before it is stopped and reported as failed
   */
  public SuiteRunner(Path root, Path logDirectory, PrintStream console, Duration timeout) {
    this.root = root;
    this.logDirectory = logDirectory;
    this.console = console;
    this.timeout = timeout;
  }

  /**
   * Runs {@code suite} to its end.
   *
   * @throws IOException if the suite's class path file is missing (the message names the build
   *     command) or its JVM cannot be started
   */
  public SuiteResult run(Suite suite) throws IOException, InterruptedException {
    Path module = suite.directory(root);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(suite.jvm());
    command.add("-cp");
    command.add(classPath(suite, module));
    command.add(suite.mainClass());
    command.addAll(suite.arguments());
    Files.createDirectories(logDirectory);
    Path log = logDirectory.resolve(suite.name() + ".log");
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command).directory(module.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    List<Figure> figures = new ArrayList<>();
    Thread reader = new Thread(() -> copy(process, log, figures), "bench-" + suite.name());
    reader.start();
    int exit;
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      exit = process.exitValue();
    } else {
      console.println("arca bench: " + suite.name() + " ran past " + timeout + "; stopping it");
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      exit = -1;
    }
    reader.join();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // join() above: the reader thread's additions to figures are visible here.
    return new SuiteResult(suite, figures, loadBefore, Machine.loadAverage(), took, exit, log);
  }

  private void copy(Process process, Path log, List<Figure> figures) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.write('\n');
        console.println(line);
        try {
          Figure.parse(line).ifPresent(figures::add);
        } catch (IllegalArgumentException e) {
          console.println("arca bench: ignored a malformed figure line: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      console.println("arca bench: lost the output of a suite: " + e.getMessage());
    }
  }

  private static String classPath(Suite suite, Path module) throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : suite.classPath()) {
      if (entry.startsWith("@")) {
        Path file = module.resolve(entry.substring(1));
        if (!Files.isRegularFile(file)) {
          throw new IOException(
              file
                  + " is missing: "
                  + BenchCommand.BUILD_HINT
                  + " (ARCA_NO_BUILD=1 skips that build)");
        }
        entries.add(Files.readString(file, StandardCharsets.UTF_8).trim());
      } else {
        entries.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
