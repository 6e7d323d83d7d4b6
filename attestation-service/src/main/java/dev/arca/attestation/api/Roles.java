// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

/** The Keycloak realm roles that guard the admin API. */
public final class Roles {
  public static final String POLICY_ADMIN = "policy-admin";
  public static final String MODEL_PUBLISHER = "model-publisher";
  public static final String DEVICE_ADMIN = "device-admin";
  public static final String AUDITOR = "auditor";

  private Roles() {}
}
