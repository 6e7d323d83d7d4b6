// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.service.ServiceClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads one model in a fresh JVM, as a device does at boot, and prints how long that took from the
 * first line of {@code main} (JVM start excluded) to ready, and the process's peak resident set
 * ({@code VmHWM} from {@code /proc/self/status}): {@code boot_ms=<n>}, {@code vmhwm_kib=<n>}, and
 * for the runtime {@code steps=<ms step, ...>}. Modes:
 *
 * <ul>
 *   <li>{@code jvm}: ONNX Runtime's native library loaded, no model (the floor);
 *   <li>{@code plain <model.onnx>}: an ONNX Runtime session from the plaintext file;
 *   <li>{@code sealed <service-url> <publishers.json> <state-dir> <model-id>}: the runtime's whole
 *       boot against a service: hardening, measurement, attestation, download (unless the package
 *       is in the state folder), verification, unwrap, decryption, session, serving.
 * </ul>
 */
public final class BootProbe {
  private BootProbe() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    List<String> steps = new ArrayList<>();
    switch (args[0]) {
      case "jvm" -> OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      case "plain" -> {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            OrtSession s = env.createSession(args[1], o)) {
          if (s.getInputNames().isEmpty()) {
            throw new IllegalStateException("no inputs");
          }
          print("boot_ms", (System.nanoTime() - t0) / 1_000_000);
        }
      }
      case "sealed" -> {
        try (RuntimeAgent agent =
            new RuntimeAgent(
                new RuntimeAgent.Config(
                    URI.create(args[1]),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Path.of(args[3]),
                    List.of(new ServiceClient.ModelRequest(args[4], "synthetic")),
                    PublisherKeyRing.fromJson(Files.readString(Path.of(args[2]))),
                    true),
                DevRuntimeAttester.open(Path.of(args[3]), Clock.systemUTC()),
                Clock.systemUTC(),
                line ->
                    steps.add(
                        (System.nanoTime() - t0) / 1_000_000 + " " + line.split(":", -1)[0]))) {
          agent.boot();
          print("boot_ms", (System.nanoTime() - t0) / 1_000_000);
          if (!agent.served().containsKey(args[4])) {
            throw new IllegalStateException("model not served: " + agent.served());
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.println("steps=" + String.join(", ", steps));
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        print("vmhwm_kib", Long.parseLong(line.replaceAll("[^0-9]", "")));
      }
    }
  }

  private static void print(String key, long value) {
    System.out.println(key + "=" + value);
  }
}
