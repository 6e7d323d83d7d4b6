// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.cli.Arca;
import dev.arca.cli.ExitCode;
import dev.arca.cli.login.StoredToken;
import dev.arca.cli.login.TokenStore;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.devstack.AccessToken;
import dev.arca.devstack.SoftHsm;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.usage.SignedUsageReport;
import dev.arca.evidence.usage.UsageKey;
import dev.arca.evidence.usage.UsageReport;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.service.Grant;
import dev.arca.runtime.service.ServiceClient;
import dev.arca.runtime.usage.UsageReporter;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin command of {@code arca} against a real Keycloak and the real service (embedded
 * PostgreSQL), started once for the class: each user's job (security team, publisher, device admin,
 * auditor) and the errors they see (not logged in, wrong role, duplicates, invalid policy).
 */
class AdminCommandsTest {
  @TempDir static Path dir;
  static LiveStack stack;
  static final Cli cli = new Cli();

  /**
   * The service keeps its key-encryption key in an HSM (SoftHSM2): every key this path wraps and
   * releases (model data keys, EAR and log signing keys, service secrets) goes through the token.
   */
  @BeforeAll
  static void startStack() throws Exception {
    List<String> missing = SoftHsm.missingToolsForTests();
    assumeTrue(
        missing.isEmpty(), "the admin path runs with its KEK in SoftHSM2; missing " + missing);
    SoftHsm.Token hsm = SoftHsm.token();
    System.setProperty("arca.config.dir", dir.resolve("config").toString());
    stack =
        LiveStack.start(
            dir.resolve("run"),
            Map.of(
                "arca.kek.uri",
                "pkcs11:object=arca-service-kek",
                "arca.kek.pkcs11.library",
                hsm.library().toString(),
                "arca.kek.pkcs11.slot-list-index",
                String.valueOf(hsm.slotListIndex()),
                "arca.kek.pkcs11.pin-file",
                hsm.pinFile().toString()));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
      assertThat(stack.supervisor.children()).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
    }
    System.clearProperty("arca.config.dir");
  }

  private static String[] as(String profile, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--service", stack.serviceUrl(), "--as", profile));
    return all.toArray(String[]::new);
  }

  /** A person's token by the password grant (Keycloak's browser step is not automatable here). */
  private static void personLogsIn(String user) throws Exception {
    AccessToken t =
        stack.keycloak.passwordToken(
            "arca-automation", "arca-automation-secret", user, user + "-pw");
    TokenStore.standard()
        .save(
            user,
            new StoredToken(
                stack.keycloak.realmUrl(),
                t.bearer(),
                Instant.now().plus(t.expiresIn()),
                t.username(),
                t.realmRoles()));
  }

  @Test
  void eachUserDoesTheirJobThroughTheCli() throws Exception {
    // Automation logs in with client credentials; the token is cached 0600 and never printed.
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "arca-automation-secret");
    String login =
        cli.ok(
            "login",
            "--issuer",
            stack.keycloak.realmUrl(),
            "--client-id",
            "arca-automation",
            "--client-secret-file",
            secret.toString(),
            "--as",
            "ops");
    assertThat(login).contains("logged in as").contains("policy-admin").doesNotContain("eyJ");
    Path cached = TokenStore.standard().file("ops");
    assertThat(Files.getPosixFilePermissions(cached))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    personLogsIn("auditor");

    // Security team: apply a policy, see it listed and active, diff a draft.
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, demoPolicy(1));
    assertThat(cli.ok(as("ops", "policy", "apply", policy.toString())))
        .contains("applied arca-admin-test v1")
        .contains("active");
    JsonNode policies = cli.json(ExitCode.OK, as("ops", "policy", "list", "--json"));
    assertThat(policies.toString()).contains("arca-admin-test").contains("\"active\":true");
    Path draft = dir.resolve("draft.yaml");
    Files.writeString(draft, demoPolicy(2).replace("'synthetic'", "'none'"));
    assertThat(
            cli.run(
                as("ops", "policy", "diff", "arca-admin-test", "1", "--draft", draft.toString())))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.out()).contains("- ").contains("+ ").contains("'none'");
    // It pins a boot chain (a class no device here has); the auditor sees the set.
    assertThat(
            cli.ok(
                as(
                    "ops",
                    "reference-values",
                    "add",
                    "lab-boot",
                    "--format",
                    "tpm2",
                    "--subject",
                    "class:lab-bench",
                    "--measurement",
                    "pcr.sha256.7=" + "ab".repeat(32))))
        .contains("added lab-boot v1");
    assertThat(cli.ok(as("auditor", "reference-values", "list"))).contains("lab-boot");

    // Publisher: keygen, seal (existing offline commands), trust, publish, list.
    ModelPublishing.Outputs published =
        ModelPublishing.publishConv2d(
            cli, dir, "admin-test", "--service", stack.serviceUrl(), "--as", "ops");
    assertThat(published.trust()).contains("trusted publisher key admin-test");
    assertThat(published.publish()).contains("published conv2d v1");
    assertThat(cli.ok(as("ops", "model", "list"))).contains("conv2d").contains("published");

    // Device admin: enrol a dev device with the key its runtime holds, list it.
    DevRuntimeAttester device = DevRuntimeAttester.open(dir.resolve("device"), Clock.systemUTC());
    String publicKey = Base64.getEncoder().encodeToString(device.publicKey());
    assertThat(
            cli.ok(
                as(
                    "ops",
                    "device",
                    "enroll",
                    "--id",
                    device.deviceId(),
                    "--public-key",
                    publicKey,
                    "--attr",
                    "site=lab")))
        .contains("enrolled");
    assertThat(
            cli.run(
                as(
                    "ops",
                    "device",
                    "enroll",
                    "--id",
                    device.deviceId(),
                    "--public-key",
                    publicKey)))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("conflict").contains("exists already").doesNotContain("\n  at ");
    assertThat(cli.json(ExitCode.OK, as("auditor", "device", "list", "--json")).toString())
        .contains(device.deviceId());

    // The device attests once (the runtime's own client), so the log holds an appraisal.
    ServiceClient svc = new ServiceClient(URI.create(stack.serviceUrl()));
    ServiceClient.Challenge c = svc.challenge();
    HpkePrivateKey runtime =
        HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, new SecureRandom());
    byte[] runtimeKey = runtime.publicKey().bytes();
    byte[] measurements = "admin test\n".getBytes(StandardCharsets.UTF_8);
    UsageKey usageKey = UsageKey.derivedFrom(runtimeKey);
    ServiceClient.Attestation a =
        svc.attest(
            device.deviceId(),
            "dev",
            device.evidence(
                ReportData.ofLog(c.nonce(), runtimeKey, measurements, usageKey.publicKey())),
            c,
            runtimeKey,
            usageKey.publicKey(),
            measurements,
            List.of(new ServiceClient.ModelRequest("conv2d", "synthetic")));
    assertThat(a.grants()).hasSize(1);
    // The model's data key, unwrapped from the HSM KEK by the service, opens for the runtime.
    Grant g = a.grants().get(0);
    DataKey released =
        KeyRelease.unwrap(
            WrappedKey.decode(g.wrappedKey()),
            runtime,
            KeyReleaseInfo.of(g.grantId(), g.modelId(), g.version(), g.manifestDigest()));
    released.destroy();
    // No local keyset: the KEK is the token's alone.
    assertThat(dir.resolve("run/service-data/keys/service.kek.json")).doesNotExist();
    // Its runtime reports what it served; the auditor finds the report by kind.
    Instant now = Instant.now();
    UsageReport usage =
        new UsageReport(
            device.deviceId(),
            usageKey.publicKey(),
            now.minusSeconds(60),
            now,
            List.of(new UsageReport.Count("conv2d", 1, "synthetic", 12, 1)),
            List.of(),
            0);
    assertThat(
            svc.uploadUsage(
                device.deviceId(), a.token(), List.of(SignedUsageReport.sign(usage, usageKey))))
        .extracting(UsageReporter.Outcome::outcome)
        .containsExactly("accepted");
    assertThat(
            cli.ok(
                as("auditor", "audit", "search", "--kind", "usage", "--device", device.deviceId())))
        .contains("usage.reported")
        .contains("served=12 refused=1")
        .contains("1 entry");

    // Auditor: search the log; replay it with a draft that no longer permits synthetic data.
    JsonNode hits = cli.json(ExitCode.OK, as("auditor", "audit", "search", "--json"));
    List<String> kinds = new ArrayList<>();
    hits.forEach(h -> kinds.add(h.path("entry").path("type").asText()));
    assertThat(kinds)
        .contains(
            "policy.activated", "model.published", "device.enrolled", "attestation.appraised");
    assertThat(cli.run(as("auditor", "policy", "impact", draft.toString())))
        .as(cli.err())
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.out())
        .contains("conv2d@1 synthetic: permit -> deny")
        .contains("1 decision(s) would change");
    assertThat(cli.run(as("auditor", "policy", "impact", policy.toString())))
        .isEqualTo(ExitCode.OK);

    // Revocations.
    assertThat(cli.ok(as("ops", "model", "revoke", "conv2d", "1"))).contains("revoked conv2d v1");
    assertThat(cli.ok(as("ops", "device", "revoke", device.deviceId()))).contains("revoked");
    assertThat(cli.ok(as("ops", "model", "revoke-key", "admin-test")))
        .contains("revoked publisher key admin-test");
    assertThat(cli.ok(as("ops", "model", "trust")).lines())
        .anyMatch(l -> l.startsWith("admin-test ") && l.endsWith(" revoked"));
    assertThat(cli.run(as("ops", "model", "revoke-key", "no-such-key"))).isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("no-such-key").doesNotContain("\n  at ");
    assertThat(cli.ok(as("auditor", "audit", "search", "--device", device.deviceId())))
        .contains("device.revoked")
        .contains("attestation.appraised");

    // Auditor without the service: the operator exports the log; the auditor, with the key
    // pinned from the service beforehand, verifies the folder alone and gets the same answer.
    String online = cli.ok(as("auditor", "audit", "verify"));
    String vkey =
        cli.err()
            .lines()
            .filter(l -> l.startsWith("note: trusting the verifier key served by the service: "))
            .findFirst()
            .orElseThrow()
            .substring("note: trusting the verifier key served by the service: ".length());
    Path export = dir.resolve("audit-export");
    assertThat(cli.ok(as("auditor", "audit", "export", "--vkey", vkey, "--to", export.toString())))
        .contains("verified and exported");
    assertThat(export.resolve("vkey")).doesNotExist();
    assertThat(cli.run("audit", "verify", "--export", export.toString())).isEqualTo(ExitCode.USAGE);
    String offline = cli.ok("audit", "verify", "--export", export.toString(), "--vkey", vkey);
    assertThat(offline.lines().skip(1).toList())
        .containsExactlyElementsOf(online.lines().skip(1).toList());
    assertThat(offline).contains("re-verified: 1 appraisals");
    assertThat(offline.lines().findFirst().orElseThrow())
        .startsWith(online.lines().findFirst().orElseThrow() + " (from the export");
  }

  @Test
  void aPersonLogsInWithTheDeviceCodeInTheBrowser() throws Exception {
    Cli person = new Cli();
    java.util.concurrent.CompletableFuture<Integer> login =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> person.run("login", "--issuer", stack.keycloak.realmUrl(), "--as", "alice"));
    String url = null;
    for (int i = 0; i < 200 && url == null; i++) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("Open (\\S+)").matcher(person.out());
      if (m.find()) {
        url = m.group(1);
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(url).as("the device login prompt; stderr: %s", person.err()).isNotNull();
    assertThat(person.out()).containsPattern("confirm the code [A-Z]{4}-[A-Z]{4}");

    BrowserLogin.confirm(url, "device-admin", "device-admin-pw");

    assertThat(login.get(2, java.util.concurrent.TimeUnit.MINUTES))
        .as(person.err())
        .isEqualTo(ExitCode.OK);
    assertThat(person.out()).contains("logged in as device-admin").contains("[device-admin]");
    StoredToken first = TokenStore.standard().require("alice", Instant.now());
    assertThat(first.roles()).contains("device-admin");
    assertThat(first.refresh()).as("the device grant leaves a refresh token").isPresent();
    assertThat(cli.ok(as("alice", "device", "list"))).contains("ID");

    // The access token runs out: the next command renews it with the refresh token, without the
    // person, and caches the new one.
    TokenStore.standard()
        .save(
            "alice",
            new StoredToken(
                first.issuer(),
                first.accessToken(),
                Instant.now().minusSeconds(1),
                first.subject(),
                first.roles(),
                first.refresh().orElseThrow()));
    assertThat(cli.ok(as("alice", "device", "list"))).contains("ID");
    StoredToken renewed = TokenStore.standard().require("alice", Instant.now());
    assertThat(renewed.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(renewed.expiresAt()).isAfter(Instant.now());
  }

  @Test
  void errorsAreOneLineWithWhatToDoNext() throws Exception {
    assertThat(cli.run(as("nobody", "device", "list"))).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err().strip())
        .startsWith("arca: not logged in as 'nobody'")
        .contains("arca login");

    personLogsIn("auditor");
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, demoPolicy(9));
    assertThat(cli.run(as("auditor", "policy", "apply", policy.toString())))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("HTTP 403").contains("lacks the role");

    personLogsIn("policy-admin");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, demoPolicy(3).replace("device.revoked", "device.revoked &&"));
    assertThat(cli.run(as("policy-admin", "policy", "apply", bad.toString())))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("policy-invalid").containsPattern("line \\d+:\\d+");
    assertThat(cli.err().strip().lines().count()).isEqualTo(1);

    assertThat(cli.run("device", "list", "--service", "http://127.0.0.1:1", "--as", "auditor"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("no service answers").contains("--service");

    assertThat(
            cli.run(
                "login",
                "--issuer",
                stack.keycloak.realmUrl(),
                "--client-id",
                "arca-automation",
                "--client-secret-file",
                policy.toString(),
                "--as",
                "x"))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("refused").doesNotContain("arca-admin-test");
  }

  static String demoPolicy(long version) {
    return policy("arca-admin-test", version, "synthetic");
  }

  /** Policy {@code name@version}: revoked devices are refused, {@code dataClass} is permitted. */
  static String policy(String name, long version, String dataClass) {
    return "apiVersion: arca.dev/v1alpha1\n"
        + "kind: Policy\n"
        + "metadata:\n"
        + "  name: "
        + name
        + "\n"
        + "  version: "
        + version
        + "\n"
        + "rules:\n"
        + "  - name: revoked-device\n"
        + "    effect: forbid\n"
        + "    when: device.revoked\n"
        + "  - name: "
        + dataClass
        + "-anywhere\n"
        + "    effect: permit\n"
        + "    when: \"data.class in ['"
        + dataClass
        + "']\"\n";
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = Arca.class.getResourceAsStream("/dev/arca/cli/demo/" + name)) {
      return in.readAllBytes();
    }
  }

  static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }
}
