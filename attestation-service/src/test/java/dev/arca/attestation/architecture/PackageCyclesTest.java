// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service's packages depend on each other without cycles (read from the sources: every
 * reference to another {@code dev.arca.attestation} package counts), so each can be read, tested
 * and replaced on its own; the rules that decide live in the framework-free {@code appraisal}
 * module, never in a service package that registries or tokens depend on.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/arca/attestation");
  private static final Pattern REFERENCE =
      Pattern.compile("dev\\.arca\\.attestation\\.([a-z][a-z.]*)\\.[A-Z]");

  @Test
  void theServicesPackagesHaveNoCycle() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph).containsKeys("appraisal", "registry", "token", "audit");
    List<List<String>> cycles = new ArrayList<>();
    for (String from : graph.keySet()) {
      for (String to : graph.get(from)) {
        if (reaches(graph, to, from, new TreeSet<>())) {
          cycles.add(List.of(from, to));
        }
      }
    }
    assertThat(cycles).as("package pairs on a cycle").isEmpty();
  }

  @Test
  void registriesAndTokensDoNotDependOnTheAttestationPipeline() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph.get("registry")).doesNotContain("appraisal");
    assertThat(graph.get("token")).doesNotContain("appraisal");
  }

  private static boolean reaches(
      Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
    if (from.equals(target)) {
      return true;
    }
    if (!seen.add(from)) {
      return false;
    }
    for (String next : graph.getOrDefault(from, Set.of())) {
      if (reaches(graph, next, target, seen)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            deps.add(m.group(1));
          }
        }
      }
    }
    return graph;
  }
}
