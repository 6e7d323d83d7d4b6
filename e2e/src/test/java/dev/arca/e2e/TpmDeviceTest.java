// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.cli.ExitCode;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import dev.arca.devstack.AccessToken;
import dev.arca.devstack.Swtpm;
import dev.arca.evidence.ReportData;
import dev.arca.runtime.attester.Tpm2RuntimeAttester;
import dev.arca.runtime.service.ServiceClient;
import dev.arca.runtime.service.ServiceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TPM device across real processes: a software TPM (swtpm, EK certificate by swtpm-localca, whose
 * root the service pins through {@code arca.tpm.ek-roots}), the packaged service with Keycloak, and
 * {@code arca device enroll --tpm} doing both enrolment steps (EK chain + credential activation).
 * The runtime's own TPM attester, opened on the same state folder, then attests with the enrolled
 * AK. Skips, naming the tools, where swtpm or tpm2-tools is not installed; fails instead under
 * {@code ARCA_REQUIRE_SWTPM=true} (CI).
 */
class TpmDeviceTest {
  @TempDir static Path dir;
  static LiveStack stack;
  static Swtpm tpm;
  static final Cli cli = new Cli();

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
    Path roots = Files.createDirectories(dir.resolve("ek-roots"));
    Files.copy(tpm.localCaCertificate(), roots.resolve("swtpm-localca.pem"));
    System.setProperty("arca.config.dir", dir.resolve("config").toString());
    stack = LiveStack.start(dir.resolve("run"), Map.of("arca.tpm.ek-roots", roots.toString()));
    AccessToken t =
        stack.keycloak.passwordToken(
            "arca-automation", "arca-automation-secret", "device-admin", "device-admin-pw");
    TokenStore.standard()
        .save(
            "device-admin",
            new StoredToken(
                stack.keycloak.realmUrl(),
                t.bearer(),
                Instant.now().plus(t.expiresIn()),
                t.username(),
                t.realmRoles()));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
      assertThat(stack.supervisor.children()).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
    }
    if (tpm != null) {
      tpm.close();
    }
    System.clearProperty("arca.config.dir");
  }

  private static String[] asDeviceAdmin(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--service", stack.serviceUrl(), "--as", "device-admin"));
    return all.toArray(String[]::new);
  }

  @Test
  void aTpmDeviceEnrolsInOneCommandAndItsRuntimeAttestsWithTheEnrolledAk() throws Exception {
    Path state = dir.resolve("device-state");
    String tpmArg = "swtpm:127.0.0.1:" + tpm.port();
    String out =
        cli.ok(
            asDeviceAdmin(
                "device",
                "enroll",
                "--id",
                "tpm-e2e-1",
                "--format",
                "tpm2",
                "--tpm",
                tpmArg,
                "--state",
                state.toString(),
                "--ek-chain",
                tpm.issuerCertificate().toString(),
                "--attr",
                "class=tpm-box"));
    assertThat(out)
        .contains("enrolled tpm-e2e-1 (tpm2) status active")
        .contains("--attester tpm2 --tpm " + tpmArg);
    // Enrolled once: the same device again is a conflict (exit 1, one line).
    assertThat(
            cli.run(
                asDeviceAdmin(
                    "device",
                    "enroll",
                    "--id",
                    "tpm-e2e-1",
                    "--tpm",
                    tpmArg,
                    "--state",
                    state.toString(),
                    "--ek-chain",
                    tpm.issuerCertificate().toString())))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("conflict").doesNotContain("\n  at ");

    // The runtime opens the same AK from the state folder and attests with it. No policy is
    // active on this fresh service, so the answer is the policy step's refusal: the evidence,
    // the enrolment and the device status were all accepted before it.
    try (Tpm2RuntimeAttester attester = Tpm2RuntimeAttester.open(tpmArg, state, "tpm-e2e-1")) {
      assertThat(attester.keys().created()).isFalse();
      byte[] log = "e2e runtime\n".getBytes(StandardCharsets.UTF_8);
      attester.extend(MessageDigest.getInstance("SHA-256").digest(log));
      ServiceClient svc = new ServiceClient(URI.create(stack.serviceUrl()));
      ServiceClient.Challenge c = svc.challenge();
      byte[] runtimeKey = new byte[32];
      new SecureRandom().nextBytes(runtimeKey);
      byte[] evidence = attester.evidence(ReportData.ofLog(c.nonce(), runtimeKey, log));
      assertThatThrownBy(
              () ->
                  svc.attest(
                      attester.deviceId(),
                      attester.format(),
                      evidence,
                      c,
                      runtimeKey,
                      null,
                      log,
                      List.of(new ServiceClient.ModelRequest("none", "synthetic"))))
          .isInstanceOfSatisfying(
              ServiceException.class,
              e -> assertThat(e.type()).endsWith("attestation/no-active-policy"));
    }
  }
}
