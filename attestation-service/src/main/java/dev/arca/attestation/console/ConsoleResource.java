// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The web console's home: who is signed in, and the sections their roles open ({@link
 * ConsoleSession}). People sign in through Keycloak (OIDC authorization-code flow, tenant {@code
 * console}); the pages are rendered on the server (Qute), so no token ever reaches the browser.
 */
@Path("/console")
@RolesAllowed({Roles.AUDITOR, Roles.POLICY_ADMIN, Roles.DEVICE_ADMIN, Roles.MODEL_PUBLISHER})
public class ConsoleResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance home();
  }

  /** A page for people, not part of the API: left out of the OpenAPI document. */
  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public TemplateInstance home() {
    return Templates.home();
  }
}
