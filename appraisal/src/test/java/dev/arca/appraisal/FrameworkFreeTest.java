// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The appraisal module stays framework-free, so the CLI and an auditor's machine run the very rules
 * the service decides with: no Quarkus, CDI, JAX-RS or JDBC in its sources or its dependencies.
 */
class FrameworkFreeTest {
  private static final List<String> FRAMEWORKS =
      List.of("io.quarkus", "jakarta.", "javax.", "java.sql", "io.smallrye", "org.eclipse");

  @Test
  void noSourceImportsAFramework() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import ") && FRAMEWORKS.stream().anyMatch(line::contains)) {
            found.add(f.getFileName() + ": " + line);
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void thePomNamesNoFramework() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).doesNotContain("quarkus").doesNotContain("jakarta").contains("arca-evidence");
  }
}
