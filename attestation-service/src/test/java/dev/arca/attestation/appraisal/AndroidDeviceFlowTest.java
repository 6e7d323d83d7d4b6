// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import static dev.arca.attestation.testing.DevDevice.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.HardwareDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Refusals;
import dev.arca.attestation.testing.TestClock;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestRootFiles;
import dev.arca.evidence.android.SecurityLevel;
import dev.arca.evidence.android.TestAndroidChains;
import dev.arca.evidence.android.VerifiedBootState;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Android devices through the REST API: enrolment by ID-attested brand, model and serial plus the
 * app and boot key, a fresh-nonce flow with a test-signed chain, an unlocked device, another
 * device's or an unidentified key, another app, the real Google-signed vector, and enrolment
 * refusals. Test-signed chains end at a test root that only the {@code %test} profile's {@code
 * arca.formats.android-key.test-roots} pins (this class writes it there); the verifier's own tests
 * show such a chain refused without it ({@code android.chain.untrusted-root}).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AndroidDeviceFlowTest {
  /** Inside every certificate of the real vector's chain (its Google root expired in 2026). */
  private static final Instant VECTOR_TIME = Instant.parse("2020-01-01T00:00:00Z");

  private static TestAndroidChains chains;
  private static boolean ready;

  @Inject TestClock clock;

  /** Pins this run's test root for the rest of the test JVM (later audits replay with it). */
  @BeforeAll
  static void pinTestRoot() throws Exception {
    Instant now = Instant.now();
    chains = new TestAndroidChains(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    TestRootFiles.pin("android-key", "android-test-root", chains.root);
  }

  @BeforeEach
  void setUp() {
    if (ready) {
      return;
    }
    ready = true;
    TestModels.activatePolicyAndPublish("android-model");
  }

  private static Map<String, Object> enrolment(String serial) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("brand", "google");
    e.put("model", "Pixel 8");
    e.put("serial", serial);
    e.put("packageName", "dev.arca.runtime");
    e.put(
        "signingCertificateSha256",
        TestAndroidChains.Leaf.SIGNER.toUpperCase(java.util.Locale.ROOT));
    e.put("verifiedBootKey", TestAndroidChains.Leaf.BOOT_KEY);
    return e;
  }

  private static HardwareDevice enrolled(String id, String serial) {
    HardwareDevice d = new HardwareDevice(id, "android-key");
    d.enrol(enrolment(serial), Map.of("class", "handheld"))
        .statusCode(201)
        .body("identity", equalTo("android:google/pixel 8/" + serial))
        .body("enrolment.signingCertificateSha256", equalTo(TestAndroidChains.Leaf.SIGNER))
        .body("enrolment.minimumSecurityLevel", equalTo("tee"));
    return d;
  }

  /** Attests with a fresh key whose challenge is the report data, the leaf as {@code leaf} says. */
  private static ValidatableResponse attest(
      HardwareDevice d, String serial, UnaryOperator<TestAndroidChains.Leaf> leaf)
      throws Exception {
    byte[] nonce = d.challenge();
    TestAndroidChains.Leaf l =
        TestAndroidChains.leaf(d.reportData(nonce)).withIds("google", "Pixel 8", serial);
    return d.attest(
        "android-key",
        nonce,
        chains.chain(leaf.apply(l)),
        List.of(model("android-model", "synthetic")));
  }

  @Test
  void anIdAttestedDeviceEarnsAGrantForAFreshNonce() throws Exception {
    HardwareDevice d = enrolled("android-edge-1", "SERIAL1");
    // A hardware format: without an applicable reference-value set the device is refused.
    Refusals.refused(attest(d, "SERIAL1", l -> l), 403, "attestation/reference-missing", d.id);
    d.references(
        "android-edge-1-os", Map.of("verifiedBootKey", List.of(TestAndroidChains.Leaf.BOOT_KEY)));
    long sequence =
        attest(d, "SERIAL1", l -> l)
            .statusCode(200)
            .body("grants.size()", equalTo(1))
            .body("grants[0].modelId", equalTo("android-model"))
            .extract()
            .jsonPath()
            .getLong("auditSequence");
    Refusals.recorded(sequence, "attestation.appraised", d.id, "permit");
    // The next attestation uses another fresh key: the same device, another grant.
    attest(d, "SERIAL1", l -> l).statusCode(200).body("grants.size()", equalTo(1));
  }

  @Test
  void anotherAppOrBootKeyOrAWeakerLevelThanEnrolledIsRefused() throws Exception {
    HardwareDevice d = enrolled("android-other-app", "SERIAL2");
    ValidatableResponse r =
        attest(
                d,
                "SERIAL2",
                l ->
                    l.withApp("com.example.other", "11".repeat(32))
                        .withRootOfTrust("cc".repeat(32), true, VerifiedBootState.SELF_SIGNED))
            .body(
                "failures.id",
                equalTo(
                    List.of(
                        "appraisal.android.package-not-enrolled",
                        "appraisal.android.signer-not-enrolled",
                        "appraisal.android.boot-key-not-enrolled")));
    Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
  }

  @Test
  void anUnlockedOrSoftwareDeviceIsRefusedAsDebug() throws Exception {
    HardwareDevice d = enrolled("android-unlocked", "SERIAL3");
    Refusals.refused(
        attest(
            d,
            "SERIAL3",
            l ->
                l.withRootOfTrust(
                    TestAndroidChains.Leaf.BOOT_KEY, false, VerifiedBootState.UNVERIFIED)),
        403,
        "attestation/debug-evidence",
        d.id);
    Refusals.refused(
        attest(d, "SERIAL3", l -> l.withSecurityLevel(SecurityLevel.SOFTWARE)),
        403,
        "attestation/debug-evidence",
        d.id);
  }

  @Test
  void anotherDevicesSerialOrAKeyWithoutIdAttestationIsRefused() throws Exception {
    HardwareDevice d = enrolled("android-other-device", "SERIAL4");
    for (UnaryOperator<TestAndroidChains.Leaf> leaf :
        List.<UnaryOperator<TestAndroidChains.Leaf>>of(
            l -> l.withIds("google", "Pixel 8", "SERIAL5"),
            TestAndroidChains.Leaf::withoutIds,
            // Identifiers only in the software-enforced list are not attested by the hardware.
            TestAndroidChains.Leaf::withIdsInSoftwareList)) {
      ValidatableResponse r =
          attest(d, "SERIAL4", leaf)
              .body("failures.id", equalTo(List.of("appraisal.identity-not-enrolled")));
      Refusals.refused(r, 403, "attestation/evidence-invalid", d.id);
    }
  }

  @Test
  void theRealGoogleVectorFullyVerifiesAndIsRefusedOnlyForItsBinding() throws Exception {
    HardwareDevice d = enrolled("android-google-vector", "SERIAL6");
    byte[] vector = vectorChain();
    // The captured chain's challenge is "abc", not this service's fresh report data. The verifier
    // checks the binding before the appraisal compares identities, so at the vector's time (its
    // chain to the pinned Google root valid) the binding is its only failure; it also carries no
    // ID attestation and an unlocked bootloader, which would refuse it next.
    clock.advance(Duration.between(Instant.now(), VECTOR_TIME));
    ValidatableResponse r;
    try {
      r =
          d.attest(
              "android-key", d.challenge(), vector, List.of(model("android-model", "synthetic")));
      r.body("failures.id", equalTo(List.of("android.challenge.mismatch")));
    } finally {
      clock.reset();
    }
    Refusals.refused(r, 403, "attestation/report-data-unbound", d.id);
  }

  private byte[] vectorChain() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 4; i++) {
      String name = "/vectors/android/algorithm_EC_SecurityLevel_TEE/cert" + i + ".pem";
      try (InputStream in = getClass().getResourceAsStream(name)) {
        assertThat(in).as(name).isNotNull();
        out.writeBytes(in.readAllBytes());
        out.write('\n');
      }
    }
    return out.toByteArray();
  }

  @Test
  void enrolmentRefusalsNameTheField() {
    HardwareDevice d = new HardwareDevice("android-bad-enrolment", "android-key");
    Map<String, Object[]> bad = new LinkedHashMap<>();
    bad.put("enrolment.serial", new Object[] {"serial", null});
    bad.put("enrolment.model", new Object[] {"model", "Pixel/8"});
    bad.put("enrolment.brand", new Object[] {"brand", ""});
    bad.put("enrolment.packageName", new Object[] {"packageName", "runtime"});
    bad.put("enrolment.signingCertificateSha256", new Object[] {"signingCertificateSha256", "abc"});
    bad.put("enrolment.verifiedBootKey", new Object[] {"verifiedBootKey", "zz"});
    bad.put("enrolment.minimumSecurityLevel", new Object[] {"minimumSecurityLevel", "software"});
    bad.forEach(
        (field, change) -> {
          Map<String, Object> e = enrolment("SERIAL7");
          if (change[1] == null) {
            e.remove((String) change[0]);
          } else {
            e.put((String) change[0], change[1]);
          }
          d.enrol(e, Map.of())
              .statusCode(400)
              .contentType(Problem.MEDIA_TYPE)
              .body("type", equalTo("urn:arca:problem:invalid-request"))
              .body("detail", containsString(field));
        });
    List<JsonNode> audited = AuditLines.about("device:" + d.id);
    assertThat(AuditLines.outcomes(audited)).contains("invalid-request");
  }
}
