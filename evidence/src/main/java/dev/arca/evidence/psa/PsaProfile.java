// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.psa;

/**
 * The two PSA attestation token profiles and their claim keys.
 *
 * <ul>
 *   <li>{@code http://arm.com/psa/2.0.0}: RFC 9783 section 4 (EAT-based keys: nonce 10, instance id
 *       256 (ueid), profile 265, and the 2394..2400 PSA keys).
 *   <li>{@code PSA_IOT_PROFILE_1}: draft-tschofenig-rats-psa-token-07 (the -75000 .. -75010 keys).
 * </ul>
 */
public enum PsaProfile {
  PSA_2_0_0("http://arm.com/psa/2.0.0", 265, 10, 256, 2396, 2395, 2397, 2399, 2400, 2394, 2398, -1),
  PSA_IOT_PROFILE_1(
      "PSA_IOT_PROFILE_1",
      -75000,
      -75008,
      -75009,
      -75003,
      -75002,
      -75004,
      -75006,
      -75010,
      -75001,
      -75005,
      -75007);

  private final String profileName;
  final long profile;
  final long nonce;
  final long instanceId;
  final long implementationId;
  final long lifecycle;
  final long bootSeed;
  final long softwareComponents;
  final long verificationService;
  final long clientId;
  final long certificationReference;

  /** -1 when the profile has no "no software measurements" claim. */
  final long noSoftwareMeasurements;

  PsaProfile(
      String profileName,
      long profile,
      long nonce,
      long instanceId,
      long implementationId,
      long lifecycle,
      long bootSeed,
      long softwareComponents,
      long verificationService,
      long clientId,
      long certificationReference,
      long noSoftwareMeasurements) {
    this.profileName = profileName;
    this.profile = profile;
    this.nonce = nonce;
    this.instanceId = instanceId;
    this.implementationId = implementationId;
    this.lifecycle = lifecycle;
    this.bootSeed = bootSeed;
    this.softwareComponents = softwareComponents;
    this.verificationService = verificationService;
    this.clientId = clientId;
    this.certificationReference = certificationReference;
    this.noSoftwareMeasurements = noSoftwareMeasurements;
  }

  /** The profile's name as the token's profile claim carries it. */
  public String profileName() {
    return profileName;
  }
}
