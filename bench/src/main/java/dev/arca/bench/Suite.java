// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark suite: a main class in a module's test sources, run in a JVM of its own from that
 * module's folder. It prints its figures as {@link Figure} lines beside its own human-readable
 * output.
 *
 * @param name short name used by {@code --only} and in the table, e.g. {@code evidence-tpm2}
 * @param module the module folder, relative to the repository root
 * @param mainClass the suite's entry point
 * @param arguments its arguments
 * @param classPath the class path, relative to the module folder; an entry {@code @file} stands for
 *     the class path written in that file ({@code ./arca bench}'s build writes {@code
 *     target/test-classpath.txt})
 * @param jvmOptions options for its JVM (heap, system properties)
 * @param what one line on what it measures against which baseline
 */
public record Suite(
    String name,
    String module,
    String mainClass,
    List<String> arguments,
    List<String> classPath,
    List<String> jvmOptions,
    String what) {

  public Suite {
    arguments = List.copyOf(arguments);
    classPath = List.copyOf(classPath);
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** The usual class path: the module's test and main classes, then its test class path. */
  public static final List<String> TEST_CLASS_PATH =
      List.of("target/test-classes", "target/classes", "@target/test-classpath.txt");

  /**
   * The options its JVM is started with: {@code -Darca.bench.suite=<name>} (the suite's main puts
   * it in its figure lines), then {@link #jvmOptions()}.
   */
  public List<String> jvm() {
    List<String> all = new ArrayList<>();
    all.add("-Darca.bench.suite=" + name);
    all.addAll(jvmOptions);
    return all;
  }

  /** The module's folder under {@code root}. */
  public Path directory(Path root) {
    return root.resolve(module);
  }

  /** The command line that reproduces this suite by hand, for the report. */
  public String command() {
    StringBuilder c = new StringBuilder("(cd ").append(module).append(" && java");
    jvm().forEach(o -> c.append(' ').append(o));
    c.append(" -cp \"");
    for (int i = 0; i < classPath.size(); i++) {
      String entry = classPath.get(i);
      c.append(i == 0 ? "" : ":")
          .append(entry.startsWith("@") ? "$(cat " + entry.substring(1) + ")" : entry);
    }
    c.append("\" ").append(mainClass);
    arguments.forEach(a -> c.append(' ').append(a));
    return c.append(')').toString();
  }
}
