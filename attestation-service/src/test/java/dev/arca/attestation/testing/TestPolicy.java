// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Uploads and activates {@code policies/service-test.yaml} once per run (idempotent); writes a
 * fleet's policy of many rules built on it.
 */
public final class TestPolicy {
  private TestPolicy() {}

  public static synchronized void activate() {
    store(serviceTest());
    Api.as("policy-admin")
        .post("/v1/policies/service-test/versions/1/activate")
        .then()
        .statusCode(200);
  }

  /** Stores the policy {@code yaml} as {@code policy-admin}, unless that version is stored. */
  public static void store(String yaml) {
    int status =
        Api.as("policy-admin")
            .contentType("application/yaml")
            .body(yaml.getBytes(StandardCharsets.UTF_8))
            .post("/v1/policies")
            .then()
            .extract()
            .statusCode();
    if (status != 201 && status != 409) {
      throw new IllegalStateException("policy upload answered " + status);
    }
  }

  /** The text of {@code policies/service-test.yaml}. */
  public static String serviceTest() {
    try (InputStream in = TestPolicy.class.getResourceAsStream("/policies/service-test.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A policy {@code name} version 1 of {@code rules} rules: those of {@code service-test.yaml},
   * which decide for the tests' devices and models, then for models {@code fleet-model-<m>} four
   * permits (one per data class) and a forbid of old versions each, as a large fleet's policy has.
   * About 150 bytes a rule.
   */
  public static String fleet(String name, int rules) {
    StringBuilder policy =
        new StringBuilder(serviceTest().replace("name: service-test", "name: " + name));
    int written = (int) policy.toString().lines().filter(l -> l.startsWith("  - name:")).count();
    String[] classes = {"phi", "pci", "deidentified", "synthetic"};
    for (int m = 0; written < rules; m++) {
      for (int c = 0; c < classes.length && written < rules; c++, written++) {
        policy.append(
            rule(
                "model-" + m + "-" + classes[c],
                "permit",
                "model.id == 'fleet-model-"
                    + m
                    + "' && data.class == '"
                    + classes[c]
                    + "' && evidence.hardwareRooted && device.class == 'clinic'"));
      }
      if (written < rules) {
        policy.append(
            rule(
                "model-" + m + "-old",
                "forbid",
                "model.id == 'fleet-model-" + m + "' && model.version < 2"));
        written++;
      }
    }
    return policy.toString();
  }

  private static String rule(String name, String effect, String when) {
    return "\n  - name: " + name + "\n    effect: " + effect + "\n    when: \"" + when + "\"\n";
  }
}
