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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The sections each role opens, in the order the home page lists them. */
  private static final Map<String, List<Section>> SECTIONS_BY_ROLE = sectionsByRole();

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
    SECTIONS_BY_ROLE.forEach(
        (role, opened) -> {
          if (identity.hasRole(role)) {
            roles.add(role);
            sections.addAll(opened);
          }
        });
    return Templates.home(identity.getPrincipal().getName(), String.join(", ", roles), sections);
  }

  private static Map<String, List<Section>> sectionsByRole() {
    Map<String, List<Section>> m = new LinkedHashMap<>();
    m.put(
        Roles.AUDITOR,
        List.of(
            new Section(
                "Audit log",
                "/console/audit",
                "Search attestations and decisions; check an entry's proof in this browser"),
            new Section(
                "Audit report",
                "/console/report",
                "Who could read which model on which data class, for a period")));
    m.put(
        Roles.POLICY_ADMIN,
        List.of(
            new Section(
                "Policies",
                "/console/policies",
                "Versions, differences, the impact of a draft, activation")));
    m.put(
        Roles.DEVICE_ADMIN,
        List.of(
            new Section(
                "Devices", "/console/devices", "The fleet: formats, appraisals, revocation")));
    m.put(
        Roles.MODEL_PUBLISHER,
        List.of(
            new Section("Models", "/console/models", "Model versions, data classes, revocations")));
    return Collections.unmodifiableMap(m);
  }
}
