// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The web console's home: who is signed in, and the sections their roles open. People sign in
 * through Keycloak (OIDC authorization-code flow, tenant {@code console}); the pages are rendered
 * on the server (Qute), so no token ever reaches the browser.
 */
@Path("/console")
@RolesAllowed({Roles.AUDITOR, Roles.POLICY_ADMIN, Roles.DEVICE_ADMIN, Roles.MODEL_PUBLISHER})
public class ConsoleResource {

  /** One section of the console: its title, where it is, and what it is for. */
  public record Section(String title, String path, String purpose) {}

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance home(String user, String roles, List<Section> sections);
  }

  @Inject SecurityIdentity identity;

  /** A page for people, not part of the API: left out of the OpenAPI document. */
  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public TemplateInstance home() {
    List<String> roles = new ArrayList<>();
    List<Section> sections = new ArrayList<>();
    if (identity.hasRole(Roles.AUDITOR)) {
      roles.add(Roles.AUDITOR);
      sections.add(
          new Section(
              "Audit log",
              "/console/audit",
              "Search attestations and decisions; check an entry's proof in this browser"));
      sections.add(
          new Section(
              "Audit report",
              "/console/report",
              "Who could read which model on which data class, for a period"));
    }
    if (identity.hasRole(Roles.POLICY_ADMIN)) {
      roles.add(Roles.POLICY_ADMIN);
      sections.add(
          new Section(
              "Policies",
              "/console/policies",
              "Versions, differences, the impact of a draft, activation"));
    }
    if (identity.hasRole(Roles.DEVICE_ADMIN)) {
      roles.add(Roles.DEVICE_ADMIN);
      sections.add(
          new Section("Devices", "/console/devices", "The fleet: formats, appraisals, revocation"));
    }
    if (identity.hasRole(Roles.MODEL_PUBLISHER)) {
      roles.add(Roles.MODEL_PUBLISHER);
      sections.add(
          new Section("Models", "/console/models", "Model versions, data classes, revocations"));
    }
    return Templates.home(identity.getPrincipal().getName(), String.join(", ", roles), sections);
  }
}
