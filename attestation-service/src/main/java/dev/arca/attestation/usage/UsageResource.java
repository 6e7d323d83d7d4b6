// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.usage;

import dev.arca.attestation.api.OpenApiTruth;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.events.EarTokens;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code POST /v1/devices/{id}/usage}: a runtime uploads its signed usage reports after it
 * attested. Sent with the device's current EAR token ({@code Authorization: Bearer}), so only a
 * device that attested recently uploads; each report is then checked on its own ({@link
 * UsageReports}), and one that fails is answered {@code rejected} without holding back the others.
 */
@Path("/v1/devices/{id}/usage")
@PermitAll
public class UsageResource {
  @Inject EarTokens tokens;
  @Inject UsageReports reports;
  @Inject Validator validator;

  @APIResponse(responseCode = "200", description = "One outcome per report, in the order sent")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(responseCode = "401", description = "No current EAR token of this device")
  @APIResponse(responseCode = "403", description = "The token is another device's")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @SecurityRequirement(name = OpenApiTruth.EAR_SCHEME)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public UsageResult upload(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      UsageUpload upload) {
    // The token first: a caller without one learns nothing about what the body should be.
    tokens.verifyFor(authorization, id);
    if (upload == null) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "send {\"reports\": [{\"report\", \"signature\"}, ...]}");
    }
    Set<ConstraintViolation<UsageUpload>> invalid = validator.validate(upload);
    if (!invalid.isEmpty()) {
      throw new ConstraintViolationException(invalid);
    }
    return reports.accept(id, upload);
  }
}
