// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real child process for the supervisor tests, started in its own JVM by {@link JavaLauncher}.
 * Modes: {@code http <port>} serves 200 on /ready; {@code fail} prints a line and exits 3; {@code
 * sleep} sleeps; {@code spawn} starts a grandchild that sleeps, prints its pid, sleeps; {@code
 * supervise <dir>} does the same through its own {@link ProcessSupervisor}, whose shutdown hook
 * must stop the grandchild when this JVM gets SIGTERM.
 */
public final class TestChild {

  private TestChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "http" -> {
        HttpServer server =
            HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])),
                0);
        server.createContext(
            "/ready",
            exchange -> {
              byte[] ok = "ready".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, ok.length);
              exchange.getResponseBody().write(ok);
              exchange.close();
            });
        server.start();
        System.out.println("listening on " + args[1]);
        sleep();
      }
      case "fail" -> {
        System.out.println("starting");
        System.out.println("boom: bad configuration in test.properties");
        System.exit(3);
      }
      case "sleep" -> sleep();
      case "spawn" -> {
        Process grandchild = grandchild().start();
        System.out.println("grandchild " + grandchild.pid());
        sleep();
      }
      case "supervise" -> {
        ProcessSupervisor supervisor = ProcessSupervisor.create(Path.of(args[1]));
        supervisor.onShutdownSignal(() -> System.out.println("interrupted: stopping everything"));
        ManagedProcess child = supervisor.start("grandchild", grandchild());
        System.out.println("grandchild " + child.pid());
        sleep();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static ProcessBuilder grandchild() {
    return JavaLauncher.main(
        TestChild.class.getName(),
        JavaLauncher.currentClasspath(),
        List.of("-Xmx32m"),
        Map.of(),
        List.of("sleep"));
  }

  private static void sleep() throws InterruptedException {
    Thread.sleep(600_000);
  }
}
