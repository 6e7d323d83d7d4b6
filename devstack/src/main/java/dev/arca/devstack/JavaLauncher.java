// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds {@link ProcessBuilder}s that run a Java main or jar with the same JDK as this JVM (the
 * demo needs nothing but the JDK it was started with). Hand the result to {@link
 * ProcessSupervisor#start}. Used for the attestation service (the Quarkus fast-jar {@code
 * attestation-service/target/quarkus-app/quarkus-run.jar}) and the device runtime.
 */
public final class JavaLauncher {

  private JavaLauncher() {}

  /**
   * The {@code java} executable of this JVM: {@code ProcessHandle.current().info().command()}, else
   * {@code ${java.home}/bin/java}.
   */
  public static Path javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .map(Path::of)
        .filter(Files::isExecutable)
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  /**
   * {@code java <jvmOptions> <-Dkey=value...> -jar <jar> <args>}.
   *
   * @param systemProperties passed as {@code -Dkey=value}, e.g. Quarkus configuration such as
   *     {@code quarkus.http.port}; visible in the process list, so never secrets
   * @throws DevStackException {@code devstack.missing} if the jar does not exist, with the build
   *     command to run in the message when the caller gives one
   */
  public static ProcessBuilder jar(
      Path jar,
      List<String> jvmOptions,
      Map<String, String> systemProperties,
      List<String> args,
      String buildHint)
      throws DevStackException {
    if (!Files.isRegularFile(jar)) {
      throw new DevStackException(
          DevStackException.MISSING,
          jar + " not found" + (buildHint == null ? "" : "; build it with: " + buildHint));
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(jvmOptions);
    command.addAll(properties(systemProperties));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return new ProcessBuilder(command);
  }

  /**
   * {@code java <jvmOptions> <-Dkey=value...> -cp <classpath> <mainClass> <args>}.
   *
   * @param classpath jars and class directories, in order
   */
  public static ProcessBuilder main(
      String mainClass,
      List<Path> classpath,
      List<String> jvmOptions,
      Map<String, String> systemProperties,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(jvmOptions);
    command.addAll(properties(systemProperties));
    command.add("-cp");
    command.add(
        classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(command);
  }

  /** This JVM's own class path, for starting a main of this code base in a child JVM. */
  public static List<Path> currentClasspath() {
    String cp = System.getProperty("java.class.path", "");
    List<Path> paths = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator, -1)) {
      if (!entry.isEmpty()) {
        paths.add(Path.of(entry));
      }
    }
    return List.copyOf(paths);
  }

  private static List<String> properties(Map<String, String> systemProperties) {
    return systemProperties.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> "-D" + e.getKey() + "=" + e.getValue())
        .collect(Collectors.toList());
  }
}
