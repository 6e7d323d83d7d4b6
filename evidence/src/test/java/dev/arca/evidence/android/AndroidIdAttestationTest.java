// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ID attestation (tags 710..717): the device identity of ID-attested chains, what stays as before
 * without it, and the debug rules, on chains from {@link TestAndroidChains}.
 */
class AndroidIdAttestationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final byte[] CHALLENGE = {1, 2, 3, 4};

  private final AndroidKeyVerifier verifier = new AndroidKeyVerifier();
  private final TestAndroidChains chains;

  AndroidIdAttestationTest() throws Exception {
    chains = new TestAndroidChains(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
  }

  private Claims verify(TestAndroidChains.Leaf leaf) throws Exception {
    return verifier.verify(
        chains.chain(leaf),
        VerificationContext.expectingNonce(NOW, CHALLENGE).trustAnchor(chains.root).build());
  }

  @Test
  void anIdAttestedDeviceIsNamedByBrandModelAndSerial() throws Exception {
    Claims c = verify(TestAndroidChains.leaf(CHALLENGE));
    assertThat(c.deviceIdentity()).isEqualTo("android:google/pixel 8/TESTSERIAL1");
    assertThat(c.debug()).isFalse();
    assertThat(c.securityLevel()).isEqualTo("tee");
    assertThat(c.measurements()).containsEntry("verifiedBootKey", TestAndroidChains.Leaf.BOOT_KEY);
    assertThat(c.raw())
        .containsEntry("deviceIdentitySource", "id-attestation")
        .containsEntry("applicationPackageNames", List.of("dev.arca.runtime"))
        .containsEntry("applicationSignatureDigests", List.of(TestAndroidChains.Leaf.SIGNER))
        .containsEntry(
            "attestedIds",
            Map.of(
                "brand",
                "google",
                "serial",
                "TESTSERIAL1",
                "manufacturer",
                "Google",
                "model",
                "Pixel 8"));
    // Test-signed: trusted through the context anchor, never hardware-rooted.
    assertThat(c.hardwareRooted()).isFalse();
    assertThat(c.insecureFlags()).containsExactly("android.non-google-root");
  }

  @Test
  void everyKeyOfTheDeviceHasTheSameIdentity() throws Exception {
    // An app makes a fresh key per challenge; the identity must not follow the key.
    Claims first = verify(TestAndroidChains.leaf(CHALLENGE));
    Claims second = verify(TestAndroidChains.leaf(CHALLENGE));
    assertThat(first.raw().get("attestedKeySha256"))
        .isNotEqualTo(second.raw().get("attestedKeySha256"));
    assertThat(first.deviceIdentity()).isEqualTo(second.deviceIdentity());
  }

  @Test
  void withoutIdAttestationTheIdentityIsPerKeyAsBefore() throws Exception {
    for (TestAndroidChains.Leaf leaf :
        List.of(
            TestAndroidChains.leaf(CHALLENGE).withoutIds(),
            // Software-enforced identifiers are not checked by the hardware: they do not count.
            TestAndroidChains.leaf(CHALLENGE).withIdsInSoftwareList(),
            TestAndroidChains.leaf(CHALLENGE).withIds("google", "Pixel 8", null),
            // A '/' would make the identity ambiguous.
            TestAndroidChains.leaf(CHALLENGE).withIds("google", "Pixel/8", "S1"))) {
      Claims c = verify(leaf);
      assertThat(c.deviceIdentity()).startsWith("android-key:");
      assertThat(c.raw()).containsEntry("deviceIdentitySource", "attested-key");
    }
  }

  @Test
  void theIdentityIsDefinedExactly() {
    assertThat(AndroidKeyVerifier.idAttestedIdentity("Google", "Pixel 8 Pro", "AbC123"))
        .contains("android:google/pixel 8 pro/AbC123");
    assertThat(AndroidKeyVerifier.idAttestedIdentity("google", "pixel", "a/b")).isEmpty();
    assertThat(AndroidKeyVerifier.idAttestedIdentity("google", "", "s")).isEmpty();
    assertThat(AndroidKeyVerifier.idAttestedIdentity("google", "p", "s\n")).isEmpty();
    assertThat(AndroidKeyVerifier.idAttestedIdentity(null, "p", "s")).isEqualTo(Optional.empty());
  }

  @Test
  void anUnlockedOrUnverifiedOrSoftwareDeviceIsDebug() throws Exception {
    Claims unlocked =
        verify(
            TestAndroidChains.leaf(CHALLENGE)
                .withRootOfTrust(
                    TestAndroidChains.Leaf.BOOT_KEY, false, VerifiedBootState.UNVERIFIED));
    assertThat(unlocked.debug()).isTrue();
    assertThat(unlocked.insecureFlags())
        .contains("android.bootloader-unlocked", "android.verified-boot.unverified");
    Claims software =
        verify(TestAndroidChains.leaf(CHALLENGE).withSecurityLevel(SecurityLevel.SOFTWARE));
    assertThat(software.debug()).isTrue();
    assertThat(software.insecureFlags()).contains("android.software-security-level");
    Claims selfSigned =
        verify(
            TestAndroidChains.leaf(CHALLENGE)
                .withRootOfTrust("cc".repeat(32), true, VerifiedBootState.SELF_SIGNED));
    // A locked device running its owner's OS is not debug; an enrolled boot key can refuse it.
    assertThat(selfSigned.debug()).isFalse();
    assertThat(selfSigned.measurements()).containsEntry("verifiedBootKey", "cc".repeat(32));
  }

  @Test
  void aTestChainIsRefusedWithoutItsRootAndForAnotherChallenge() throws Exception {
    byte[] chain = chains.chain(TestAndroidChains.leaf(CHALLENGE));
    assertThatThrownBy(
            () ->
                verifier.verify(chain, VerificationContext.expectingNonce(NOW, CHALLENGE).build()))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("android.chain.untrusted-root"));
    assertThatThrownBy(
            () ->
                verifier.verify(
                    chain,
                    VerificationContext.expectingNonce(NOW, new byte[] {9})
                        .trustAnchor(chains.root)
                        .build()))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("android.challenge.mismatch"));
  }
}
