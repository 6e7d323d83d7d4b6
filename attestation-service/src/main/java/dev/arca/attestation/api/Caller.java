// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is calling, for audit records: the token's principal name (Keycloak username). */
public final class Caller {
  private Caller() {}

  public static String of(SecurityIdentity identity) {
    return identity == null || identity.isAnonymous()
        ? "anonymous"
        : "user:" + identity.getPrincipal().getName();
  }
}
