// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Runs the Java example a document shows: the first {@code ```java} block of a Markdown file is
 * compiled with the test's class path and its {@code main} run, so a README's code stays code that
 * works.
 */
public final class MarkdownJava {
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("public final class (\\w+)");

  private MarkdownJava() {}

  /**
   * Compiles the first Java block of {@code markdown} in {@code workDir} and runs its {@code main}
   * with {@code args}.
   *
   * @return what it printed to standard output
   */
  public static String run(Path markdown, Path workDir, String... args) throws Exception {
    Matcher block = BLOCK.matcher(Files.readString(markdown));
    assertThat(block.find()).as("a ```java block in " + markdown).isTrue();
    String source = block.group(1);
    Matcher name = CLASS.matcher(source);
    assertThat(name.find()).as("a public final class in the block").isTrue();
    Path file = workDir.resolve(name.group(1) + ".java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            workDir.toString(),
            file.toString());
    assertThat(rc).as("javac: " + diagnostics.toString(StandardCharsets.UTF_8)).isZero();
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {workDir.toUri().toURL()}, MarkdownJava.class.getClassLoader())) {
      Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) List.of(args).toArray(new String[0]));
    } finally {
      System.setOut(original);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }
}
