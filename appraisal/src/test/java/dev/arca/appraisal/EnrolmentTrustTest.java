// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.dev.DevAttester;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What a stored enrolment makes trusted: the dev key in either base64 alphabet (URL-safe is
 * recognised by a '-' or '_' anywhere, even first), and a refusal, never a silent empty trust, for
 * a missing, non-textual or undecodable field or a format without a mapping.
 */
class EnrolmentTrustTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode withKey(String encoded) {
    return JSON.createObjectNode().put("publicKey", encoded);
  }

  static byte[] trusted(ObjectNode enrolment) throws AppraisalException {
    VerificationContext.Builder ctx =
        VerificationContext.insecureWithoutBinding(Instant.parse("2026-01-01T00:00:00Z"));
    EnrolmentTrust.apply("dev", enrolment, ctx);
    assertThat(ctx.build().trustedKeys()).hasSize(1);
    byte[] encoded = ctx.build().trustedKeys().get(0).getEncoded();
    return java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }

  /**
   * A dev key whose URL-safe base64 form has {@code first} at index 0 and no other '-' or '_', so
   * only the first character tells the alphabet.
   */
  static byte[] keyStartingWith(char first) {
    while (true) {
      byte[] k = DevAttester.generate().publicKey();
      String s = Base64.getUrlEncoder().encodeToString(k);
      String rest = s.substring(1);
      if (s.charAt(0) == first && rest.indexOf('-') < 0 && rest.indexOf('_') < 0) {
        return k;
      }
    }
  }

  @Test
  void theDevKeyIsReadInEitherAlphabet() throws Exception {
    for (char first : new char[] {'-', '_'}) {
      byte[] k = keyStartingWith(first);
      assertThat(trusted(withKey(Base64.getUrlEncoder().encodeToString(k)))).isEqualTo(k);
    }
    byte[] k = keyStartingWith('A');
    assertThat(trusted(withKey(" " + Base64.getEncoder().encodeToString(k) + "\n"))).isEqualTo(k);
  }

  @Test
  void aMissingOrUnusableFieldIsRefused() {
    ObjectNode[] bad = {
      null,
      JSON.createObjectNode(),
      JSON.createObjectNode().put("publicKey", 1234),
      withKey("not base64!"),
      withKey(Base64.getEncoder().encodeToString(new byte[31])),
    };
    for (ObjectNode b : bad) {
      assertThatThrownBy(
              () ->
                  EnrolmentTrust.apply(
                      "dev", b, VerificationContext.insecureWithoutBinding(Instant.EPOCH)))
          .as(String.valueOf(b))
          .hasFieldOrPropertyWithValue("rejection", Rejection.ENROLMENT_UNUSABLE);
    }
    assertThatThrownBy(
            () ->
                EnrolmentTrust.apply(
                    "dev",
                    JSON.createObjectNode().put("publicKey", 1234),
                    VerificationContext.insecureWithoutBinding(Instant.EPOCH)))
        .hasMessageContaining("no textual 'publicKey'");
    assertThatThrownBy(
            () ->
                EnrolmentTrust.apply(
                    "tpm2",
                    JSON.createObjectNode().put("akPublic", "AAAA"),
                    VerificationContext.insecureWithoutBinding(Instant.EPOCH)))
        .hasFieldOrPropertyWithValue("rejection", Rejection.ENROLMENT_UNUSABLE);
    assertThatThrownBy(
            () ->
                EnrolmentTrust.apply(
                    "android", // no enrolment mapping yet
                    withKey("AAAA"),
                    VerificationContext.insecureWithoutBinding(Instant.EPOCH)))
        .hasFieldOrPropertyWithValue("rejection", Rejection.ENROLMENT_UNUSABLE);
  }

  @Test
  void psaAndCcaTrustTheirEnrolledEcKeyAndNitroAddsNone() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.PublicKey key = g.generateKeyPair().getPublic();
    String spki = Base64.getEncoder().encodeToString(key.getEncoded());
    for (String[] f : new String[][] {{"psa", "iakPublicKey"}, {"cca", "platformPublicKey"}}) {
      VerificationContext.Builder ctx = VerificationContext.insecureWithoutBinding(Instant.EPOCH);
      EnrolmentTrust.apply(f[0], JSON.createObjectNode().put(f[1], spki), ctx);
      assertThat(ctx.build().trustedKeys()).as(f[0]).containsExactly(key);
      // A key that is not EC (here a dev Ed25519 key's raw bytes) is refused, not ignored.
      assertThatThrownBy(
              () ->
                  EnrolmentTrust.apply(
                      f[0],
                      JSON.createObjectNode()
                          .put(
                              f[1],
                              Base64.getEncoder()
                                  .encodeToString(DevAttester.generate().publicKey())),
                      VerificationContext.insecureWithoutBinding(Instant.EPOCH)))
          .as(f[0])
          .hasFieldOrPropertyWithValue("rejection", Rejection.ENROLMENT_UNUSABLE)
          .hasMessageContaining("not an EC SubjectPublicKeyInfo");
    }
    // Vendor-rooted formats: the enrolment adds neither a key nor a root (identity is checked).
    for (String[] f :
        new String[][] {{"nitro", "moduleId"}, {"sev-snp", "chipId"}, {"tdx", "ppid"}}) {
      VerificationContext.Builder rooted =
          VerificationContext.insecureWithoutBinding(Instant.EPOCH);
      EnrolmentTrust.apply(f[0], JSON.createObjectNode().put(f[1], "00"), rooted);
      assertThat(rooted.build().trustedKeys()).as(f[0]).isEmpty();
      assertThat(rooted.build().trustAnchors()).as(f[0]).isEmpty();
    }
  }

  private static dev.arca.evidence.Claims android(String level, String bootKey) {
    return dev.arca.evidence.Claims.builder("android-key")
        .securityLevel(level)
        .deviceIdentity("android:google/pixel 8/S1")
        .measurement("verifiedBootKey", bootKey)
        .raw("applicationPackageNames", java.util.List.of("dev.arca.runtime"))
        .raw("applicationSignatureDigests", java.util.List.of("5a".repeat(32)))
        .build();
  }

  private static ObjectNode androidEnrolment() {
    return JSON.createObjectNode()
        .put("brand", "google")
        .put("model", "pixel 8")
        .put("serial", "S1")
        .put("packageName", "dev.arca.runtime")
        .put("signingCertificateSha256", "5A".repeat(32))
        .put("verifiedBootKey", "b0".repeat(32))
        .put("minimumSecurityLevel", "tee");
  }

  @Test
  void androidAddsNothingToTheContextAndChecksTheEnrolledAppBootKeyAndLevel() throws Exception {
    VerificationContext.Builder ctx = VerificationContext.insecureWithoutBinding(Instant.EPOCH);
    EnrolmentTrust.apply("android-key", androidEnrolment(), ctx);
    assertThat(ctx.build().trustedKeys()).isEmpty();
    assertThat(ctx.build().trustAnchors()).isEmpty();

    EnrolmentTrust.checkClaims("android-key", androidEnrolment(), android("tee", "b0".repeat(32)));
    EnrolmentTrust.checkClaims(
        "android-key",
        androidEnrolment().put("minimumSecurityLevel", "strongbox"),
        android("strongbox", "b0".repeat(32)));
    // Other formats pin nothing here.
    EnrolmentTrust.checkClaims("nitro", JSON.createObjectNode(), android("software", "00"));

    assertThatThrownBy(
            () ->
                EnrolmentTrust.checkClaims(
                    "android-key",
                    androidEnrolment()
                        .put("packageName", "com.other")
                        .put("signingCertificateSha256", "11".repeat(32))
                        .put("minimumSecurityLevel", "strongbox"),
                    android("tee", "cc".repeat(32))))
        .isInstanceOfSatisfying(
            AppraisalException.class,
            e -> {
              assertThat(e.rejection()).isEqualTo(Rejection.EVIDENCE_INVALID);
              assertThat(e.getMessage()).contains("4 enrolment check(s)");
              assertThat(e.details().toString())
                  .contains(
                      "appraisal.android.package-not-enrolled",
                      "appraisal.android.signer-not-enrolled",
                      "appraisal.android.boot-key-not-enrolled",
                      "appraisal.android.security-level-too-low");
            });
    assertThatThrownBy(
            () ->
                EnrolmentTrust.checkClaims(
                    "android-key",
                    JSON.createObjectNode().put("packageName", "dev.arca.runtime"),
                    android("tee", "b0".repeat(32))))
        .hasFieldOrPropertyWithValue("rejection", Rejection.ENROLMENT_UNUSABLE)
        .hasMessageContaining("signingCertificateSha256");
  }
}
