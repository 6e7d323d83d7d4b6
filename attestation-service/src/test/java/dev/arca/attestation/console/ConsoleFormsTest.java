// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every form the console accepts carries the session's token: a console endpoint that changes state
 * without taking it (and so without {@link ConsoleSession#requireFormToken}) fails here.
 */
class ConsoleFormsTest {

  @Test
  void everyConsolePostTakesTheFormToken() throws Exception {
    List<String> posts = new ArrayList<>();
    for (Class<?> c : consoleResources()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(POST.class)) {
          posts.add(c.getSimpleName() + "." + m.getName());
          assertThat(m.getParameters())
              .as(c.getSimpleName() + "." + m.getName())
              .anyMatch(ConsoleFormsTest::isFormToken);
        }
      }
    }
    assertThat(posts)
        .containsExactlyInAnyOrder(
            "PolicyConsole.impact",
            "PolicyConsole.activate",
            "DeviceConsole.revoke",
            "ModelConsole.revoke");
  }

  private static boolean isFormToken(Parameter p) {
    FormParam f = p.getAnnotation(FormParam.class);
    return f != null && f.value().equals(ConsoleSession.FORM_TOKEN);
  }

  private static List<Class<?>> consoleResources()
      throws IOException, URISyntaxException, ClassNotFoundException {
    var dir =
        java.nio.file.Path.of(ConsoleSession.class.getResource("ConsoleSession.class").toURI())
            .getParent();
    List<Class<?>> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (var f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$")) {
          Class<?> c =
              Class.forName(
                  ConsoleSession.class.getPackageName() + "." + name.replace(".class", ""));
          if (c.isAnnotationPresent(Path.class)) {
            out.add(c);
          }
        }
      }
    }
    return out;
  }
}
