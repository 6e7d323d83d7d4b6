// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.Caller;
import dev.arca.attestation.api.Identifiers;
import dev.arca.attestation.api.OpenApiTruth;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.SealException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;

/**
 * Models API. Publishing and revoking need {@code model-publisher}; listing also {@code auditor}.
 * Package download is for runtimes: it needs the id of an unexpired grant for that version ({@code
 * Arca-Grant} header) and supports one HTTP byte range (RFC 9110 section 14), so an interrupted
 * download resumes where it stopped. Without such a grant, a model version that does not exist is
 * answered exactly as one that does ({@code 403 grant-required}), so the endpoint does not tell
 * which models exist.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.MODEL_PUBLISHER)
public class ModelResource {
  private static final Logger LOG = Logger.getLogger(ModelResource.class);

  @Inject ModelRegistry registry;
  @Inject GrantStore grants;
  @Inject SecurityIdentity identity;
  @Inject Clock clock;

  private static final java.util.regex.Pattern RANGE =
      java.util.regex.Pattern.compile("bytes=(\\d*)-(\\d*)");

  /**
   * Publishes a version. Body: the sealed package ({@code application/octet-stream}, streamed;
   * docs/formats/sealed-model.md), signed by a trusted publisher key ({@code /v1/publisher-keys}).
   * Header {@code Arca-Data-Key}: the package's data key (base64), checked against the package and
   * wrapped under the KEK on arrival.
   */
  @APIResponse(responseCode = "201", description = "The published model version")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(
      responseCode = "409",
      description = "The version is not higher than the published ones")
  @APIResponse(responseCode = "413", description = "The body is larger than allowed")
  @APIResponse(responseCode = "415", description = "The body is not of a type this endpoint takes")
  @APIResponse(
      responseCode = "422",
      description = "The package is not valid (reason: the failure id)")
  @POST
  @Path("{id}/versions")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  public Response publish(
      @PathParam("id") String id, @HeaderParam("Arca-Data-Key") String dataKey, InputStream body) {
    Identifiers.requireName("model id", id);
    byte[] raw = Base64Field.decode("Arca-Data-Key", dataKey);
    DataKey key;
    try {
      key = DataKey.fromBytes(raw, InsecureSecretKeyAccess.get());
    } catch (SealException e) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "Arca-Data-Key must be 32 bytes");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    try {
      ModelVersion mv = registry.publish(id, key, body, Caller.of(identity), clock.instant());
      return Response.status(201).entity(mv).build();
    } finally {
      key.destroy();
    }
  }

  @GET
  @RolesAllowed({Roles.MODEL_PUBLISHER, Roles.AUDITOR})
  public List<ModelVersion> list() {
    return registry.latestAll();
  }

  @GET
  @Path("{id}/versions")
  @RolesAllowed({Roles.MODEL_PUBLISHER, Roles.AUDITOR})
  public List<ModelVersion> versions(@PathParam("id") String id) {
    List<ModelVersion> v = registry.versions(id);
    if (v.isEmpty()) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no model '" + id + "'");
    }
    return v;
  }

  @APIResponse(responseCode = "200", description = "The model version, now revoked")
  @APIResponse(responseCode = "404", description = "No such resource")
  @POST
  @Path("{id}/versions/{version}/revoke")
  public ModelVersion revoke(@PathParam("id") String id, @PathParam("version") long version) {
    return registry.revoke(id, version, Caller.of(identity), clock.instant());
  }

  /** Downloads the sealed package; authenticated by grant, not by a person's token. */
  @SecurityRequirement(name = OpenApiTruth.GRANT_SCHEME)
  @Extension(name = OpenApiTruth.AUTHORISED_BY, value = "the Arca-Grant header")
  @APIResponse(responseCode = "200", description = "The sealed package")
  @APIResponse(responseCode = "206", description = "The requested range of the sealed package")
  @APIResponse(
      responseCode = "403",
      description = "No valid grant for this model version (also when the version does not exist)")
  @APIResponse(responseCode = "416", description = "The range is not satisfiable")
  @APIResponse(
      responseCode = "503",
      description = "The package is not in this replica's package store (replicas share one)")
  @GET
  @Path("{id}/versions/{version}/package")
  @PermitAll
  @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
  public Response download(
      @PathParam("id") String id,
      @PathParam("version") long version,
      @HeaderParam("Arca-Grant") String grantId,
      @HeaderParam("Range") String range) {
    Instant now = clock.instant();
    // The grant first: only a grant holder learns anything about the model version.
    grants.requireValid(grantId, id, version, now);
    ModelVersion mv =
        registry.find(id, version).orElseThrow(() -> ModelRegistry.notFound(id, version));
    if (mv.revoked()) {
      throw new ProblemException(ProblemType.GRANT_REQUIRED, "this model version is revoked");
    }
    long size = mv.packageSize();
    requireStored(mv, size);
    long start = 0;
    long end = size - 1;
    boolean partial = false;
    if (range != null) {
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        throw rangeProblem(size);
      }
      try {
        if (m.group(1).isEmpty()) {
          long suffix = Long.parseLong(m.group(2));
          start = Math.max(0, size - suffix);
        } else {
          start = Long.parseLong(m.group(1));
          if (!m.group(2).isEmpty()) {
            end = Math.min(end, Long.parseLong(m.group(2)));
          }
        }
      } catch (NumberFormatException e) {
        throw rangeProblem(size);
      }
      if (start > end || start >= size) {
        throw rangeProblem(size);
      }
      partial = true;
    }
    long from = start;
    long length = end - start + 1;
    StreamingOutput stream =
        out -> {
          try (RandomAccessFile f = new RandomAccessFile(mv.packagePath(), "r")) {
            f.seek(from);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
              int n = f.read(buf, 0, (int) Math.min(buf.length, left));
              if (n < 0) {
                break;
              }
              out.write(buf, 0, n);
              left -= n;
            }
          }
        };
    Response.ResponseBuilder r =
        Response.status(partial ? 206 : 200)
            .type(MediaType.APPLICATION_OCTET_STREAM)
            .header("Accept-Ranges", "bytes")
            .header("Content-Length", length)
            .header("ETag", "\"" + mv.packageSha256() + "\"")
            .entity(stream);
    if (partial) {
      r.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    return r.build();
  }

  /**
   * The package file must be in this replica's store, whole: a replica that does not share the
   * store of the one that took the upload answers 503 (the device retries, perhaps at another
   * replica) and says what to fix, instead of failing mid-stream.
   */
  private static void requireStored(ModelVersion mv, long size) {
    java.nio.file.Path file = java.nio.file.Path.of(mv.packagePath());
    try {
      if (java.nio.file.Files.size(file) == size) {
        return;
      }
    } catch (java.io.IOException e) {
      // missing or unreadable: reported below
    }
    LOG.warnf(
        "the package of %s v%d is not in this replica's package store (%s): replicas must share"
            + " the packages folder (docs/containers.md)",
        mv.modelId(), mv.version(), file);
    throw new ProblemException(
        ProblemType.UNAVAILABLE,
        "the package of this model version is not in this replica's package store; retry");
  }

  private static ProblemException rangeProblem(long size) {
    return new ProblemException(
        ProblemType.RANGE_NOT_SATISFIABLE,
        "ask for one range within 0-" + (size - 1),
        java.util.Map.of("size", size));
  }
}
