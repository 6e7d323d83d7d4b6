// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Makes {@code /q/openapi} say what the endpoints do, where the generated document cannot:
 *
 * <ul>
 *   <li>An operation marked {@value #AUTHORISED_BY} is authorised by something other than the
 *       bearer token (the activation secret in the body, the {@code Arca-Grant} header), though its
 *       class requires a role: the token requirement and the 401 derived from that role are
 *       removed, leaving only what the operation declares itself ({@value #GRANT_SCHEME}, or none).
 *   <li>Every operation that needs the bearer token declares 401 and 403.
 *   <li>Every 4xx and 5xx answer is RFC 9457 problem details ({@link ProblemResponses} maps every
 *       exception), so each declares {@code application/problem+json} with the {@code Problem}
 *       schema.
 * </ul>
 *
 * Runs at startup, after the build-time scan and Quarkus' own security filters.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiTruth implements OASFilter {
  /** Operation extension naming what authorises an operation that takes no bearer token. */
  public static final String AUTHORISED_BY = "x-arca-authorised-by";

  /** The security scheme of the package download: a grant id in the {@code Arca-Grant} header. */
  public static final String GRANT_SCHEME = "arca-grant";

  /** The security scheme of endpoints that take the runtime's EAR token (device events). */
  public static final String EAR_SCHEME = "arca-ear";

  private static final String PROBLEM = "Problem";

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Components components = openAPI.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openAPI.setComponents(components);
    }
    components.addSecurityScheme(
        GRANT_SCHEME,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.HEADER)
            .name("Arca-Grant")
            .description("A grant id from POST /v1/attestations, for that model version only"));
    components.addSecurityScheme(
        EAR_SCHEME,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .bearerFormat("JWT")
            .description(
                "The runtime's EAR token from POST /v1/attestations, for its device only"));
    components.addSchema(
        PROBLEM,
        OASFactory.createSchema()
            .addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.OBJECT)
            .description("RFC 9457 problem details (docs/api.md, Problem types)")
            .addProperty("type", string())
            .addProperty("title", string())
            .addProperty(
                "status",
                OASFactory.createSchema()
                    .addType(
                        org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.INTEGER))
            .addProperty("detail", string())
            .addProperty("instance", string())
            .required(List.of("type", "title", "status")));
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    for (PathItem item : openAPI.getPaths().getPathItems().values()) {
      for (Operation op : item.getOperations().values()) {
        if (op.getExtensions() != null && op.getExtensions().containsKey(AUTHORISED_BY)) {
          withoutBearerToken(op);
        } else if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
          tokenRefusals(op);
        }
        problemBodies(op);
      }
    }
  }

  private static org.eclipse.microprofile.openapi.models.media.Schema string() {
    return OASFactory.createSchema()
        .addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING);
  }

  /** Keeps only the requirements the operation declared itself (its own schemes), drops 401. */
  private static void withoutBearerToken(Operation op) {
    List<SecurityRequirement> kept = new ArrayList<>();
    if (op.getSecurity() != null) {
      for (SecurityRequirement r : op.getSecurity()) {
        if (r.getSchemes() != null && r.getSchemes().containsKey(GRANT_SCHEME)) {
          kept.add(r);
        }
      }
    }
    // An empty list is "no security" in OpenAPI, overriding any document-wide requirement.
    op.setSecurity(kept);
    if (op.getResponses() != null) {
      op.getResponses().removeAPIResponse("401");
      // the scanner copies a method's extensions onto its responses too; they belong to the
      // operation
      op.getResponses().removeExtension(AUTHORISED_BY);
    }
  }

  /** A token-protected operation answers 401 without a valid token, 403 without the role. */
  private static void tokenRefusals(Operation op) {
    if (op.getResponses() == null) {
      op.setResponses(OASFactory.createAPIResponses());
    }
    if (!op.getResponses().hasAPIResponse("401")) {
      op.getResponses()
          .addAPIResponse(
              "401", OASFactory.createAPIResponse().description("No valid bearer token"));
    }
    if (!op.getResponses().hasAPIResponse("403")) {
      op.getResponses()
          .addAPIResponse(
              "403", OASFactory.createAPIResponse().description("The token lacks the role"));
    }
  }

  private static void problemBodies(Operation op) {
    if (op.getResponses() == null || op.getResponses().getAPIResponses() == null) {
      return;
    }
    for (Map.Entry<String, APIResponse> e : op.getResponses().getAPIResponses().entrySet()) {
      if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
        e.getValue()
            .content(
                OASFactory.createContent()
                    .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref(PROBLEM))));
      }
    }
  }
}
