// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import dev.arca.attestation.storage.Database;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.log.LogReader;
import dev.arca.transparency.tiles.EntryBundleId;
import dev.arca.transparency.tiles.TileId;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The transparency log over HTTP, as C2SP tlog-tiles below {@code /v1/audit/}.
 *
 * <p>Public (a transparency log's tree is public; it reveals sizes and hashes only): {@code
 * checkpoint}, hash tiles {@code tile/<L>/<N>[.p/<W>]}, proofs, and the verifier key {@code vkey}.
 * Role {@code auditor}: entry bundles {@code tile/entries/...} and evidence blobs, because entries
 * name devices, models and failure details.
 */
@Path("/v1/audit")
public class TransparencyLogResource {
  private static final String OCTETS = MediaType.APPLICATION_OCTET_STREAM;

  @Inject Database db;
  @Inject LogSigner signer;
  @Inject KeptBlobs blobs;

  /** The newest signed checkpoint (C2SP tlog-checkpoint note). */
  @GET
  @Path("checkpoint")
  @PermitAll
  @Produces(MediaType.TEXT_PLAIN)
  public Response checkpoint() {
    byte[] note =
        db.read(
            tx -> {
              try (PreparedStatement ps =
                      tx.prepareStatement("SELECT checkpoint FROM tlog_head WHERE id = 1");
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
              }
            });
    if (note == null) {
      // Nothing appended yet: the empty tree, signed now.
      note = read(r -> r.checkpoint(signer.signer()).encode());
    }
    return Response.ok(note, "text/plain; charset=utf-8")
        .header("Cache-Control", "no-cache")
        .build();
  }

  /** The checkpoint verifier key ({@code <name>+<id>+<base64>}, c2sp.org/signed-note). */
  @GET
  @Path("vkey")
  @PermitAll
  @Produces(MediaType.TEXT_PLAIN)
  public String vkey() {
    return signer.vkey() + "\n";
  }

  /** A hash tile (public). */
  @APIResponse(responseCode = "200", description = "A hash tile")
  @APIResponse(responseCode = "404", description = "No such resource")
  @GET
  @Path("tile/{level: [0-9]+}/{rest: .+}")
  @PermitAll
  @Produces(OCTETS)
  public Response tile(@PathParam("level") String level, @PathParam("rest") String rest) {
    TileId id;
    try {
      id = TileId.parse("tile/" + level + "/" + rest);
    } catch (TransparencyException e) {
      throw new ProblemException(ProblemType.NOT_FOUND, e.getMessage());
    }
    byte[] body = read(r -> r.tile(id));
    return immutable(body, id.isPartial());
  }

  /** An entry bundle (role auditor). */
  @APIResponse(responseCode = "200", description = "An entry bundle")
  @APIResponse(responseCode = "404", description = "No such resource")
  @GET
  @Path("tile/entries/{rest: .+}")
  @RolesAllowed(Roles.AUDITOR)
  @Produces(OCTETS)
  public Response entries(@PathParam("rest") String rest) {
    EntryBundleId id;
    try {
      id = EntryBundleId.parse("tile/entries/" + rest);
    } catch (TransparencyException e) {
      throw new ProblemException(ProblemType.NOT_FOUND, e.getMessage());
    }
    byte[] body = read(r -> r.entryBundle(id));
    return immutable(body, id.isPartial());
  }

  /**
   * Inclusion proof of entry {@code index} (or of the entry whose RFC 9162 leaf hash is {@code
   * leafHash}, base64 or base64url) in the tree of {@code size} entries (default: the current
   * size).
   */
  @APIResponse(responseCode = "200", description = "The inclusion proof")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @APIResponse(responseCode = "404", description = "No entry has this leaf hash")
  @GET
  @Path("proof/inclusion")
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public ObjectNode inclusion(
      @QueryParam("index") Long index,
      @QueryParam("leafHash") String leafHash,
      @QueryParam("size") Long size) {
    return read(
        r -> {
          long treeSize = size == null ? r.size() : size;
          long i;
          if (index != null) {
            i = index;
          } else if (leafHash != null) {
            OptionalLong found = r.indexOfLeafHash(decode("leafHash", leafHash));
            if (found.isEmpty()) {
              throw new ProblemException(ProblemType.NOT_FOUND, "no entry has this leaf hash");
            }
            i = found.getAsLong();
          } else {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "give index or leafHash");
          }
          if (i < 0 || i >= treeSize || treeSize > r.size()) {
            throw new ProblemException(
                ProblemType.INVALID_REQUEST, "need 0 <= index < size <= " + r.size());
          }
          ObjectNode out = JsonNodeFactory.instance.objectNode();
          out.put("index", i);
          out.put("treeSize", treeSize);
          out.set("proof", hashes(r.inclusionProof(i, treeSize)));
          return out;
        });
  }

  /** Consistency proof between trees of {@code from} and {@code to} entries. */
  @APIResponse(responseCode = "200", description = "The consistency proof")
  @APIResponse(responseCode = "400", description = "The request is malformed or fails validation")
  @GET
  @Path("proof/consistency")
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public ObjectNode consistency(@QueryParam("from") long from, @QueryParam("to") long to) {
    return read(
        r -> {
          if (from <= 0 || from > to || to > r.size()) {
            throw new ProblemException(
                ProblemType.INVALID_REQUEST, "need 0 < from <= to <= " + r.size());
          }
          ObjectNode out = JsonNodeFactory.instance.objectNode();
          out.put("from", from);
          out.put("to", to);
          out.set("proof", hashes(r.consistencyProof(from, to)));
          return out;
        });
  }

  /** A kept blob (evidence, enrolment, policy document) by its SHA-256 (hex), role auditor. */
  @APIResponse(responseCode = "200", description = "The kept blob")
  @APIResponse(responseCode = "404", description = "No such resource")
  @GET
  @Path("evidence/{sha256: [0-9a-f]{64}}")
  @RolesAllowed(Roles.AUDITOR)
  @Produces(OCTETS)
  public byte[] evidence(@PathParam("sha256") String sha256) {
    return blobs
        .find(sha256)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.NOT_FOUND, "no evidence with this digest is kept"));
  }

  private static Response immutable(byte[] body, boolean partial) {
    return Response.ok(body, OCTETS)
        .header("Cache-Control", partial ? "no-cache" : "public, max-age=31536000, immutable")
        .build();
  }

  private static ArrayNode hashes(List<byte[]> proof) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    proof.forEach(h -> a.add(Base64.getEncoder().encodeToString(h)));
    return a;
  }

  private static byte[] decode(String field, String b64) {
    try {
      // Standard or URL-safe alphabet: '+' and '/' are awkward in a query string.
      boolean urlSafe = b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0;
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder())
          .decode(b64.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.BAD_BASE64, field + " is not base64");
    }
  }

  @FunctionalInterface
  private interface Read<T> {
    T run(LogReader r) throws IOException;
  }

  private <T> T read(Read<T> work) {
    return db.read(
        tx -> {
          try {
            return work.run(new PgLogReader(tx));
          } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, e.getMessage());
          } catch (IOException e) {
            throw new ProblemException(ProblemType.INTERNAL, e.getMessage());
          }
        });
  }
}
