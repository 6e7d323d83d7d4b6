// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception to RFC 9457 problem details, so a client never sees a stack trace and bad
 * input never becomes a 500.
 */
public final class ProblemResponses {

  private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

  /** Builds the response for {@code type}. */
  public static Response of(ProblemType type, String detail, Map<String, Object> ext, String path) {
    Response.ResponseBuilder b =
        Response.status(type.status())
            .type(Problem.MEDIA_TYPE)
            .entity(new Problem(type.uri(), type.title(), type.status(), detail, path, ext));
    if (type == ProblemType.UNAUTHORIZED) {
      b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    return b.build();
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    Response r = of(e.type(), e.getMessage(), e.extensions(), path(uri));
    if (e instanceof RateLimitedException limited) {
      return Response.fromResponse(r)
          .header(HttpHeaders.RETRY_AFTER, limited.retryAfterSeconds())
          .build();
    }
    return r;
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e, UriInfo uri) {
    // Jackson's message may quote input; keep only the location and a short reason.
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    String field = "";
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      field =
          " in field '"
              + m.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .collect(Collectors.joining("."))
              + "'";
    }
    String reason = e instanceof InvalidFormatException ? "wrong value type" : "malformed JSON";
    return of(ProblemType.BAD_JSON, reason + field + where, Map.of(), path(uri));
  }

  /** Quarkus ships its own mapper for these; ours must win so the answer stays problem+json. */
  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
  public Response mismatched(MismatchedInputException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
  public Response parse(com.fasterxml.jackson.core.JsonParseException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e, UriInfo uri) {
    List<Map<String, String>> violations =
        e.getConstraintViolations().stream()
            .map(
                v ->
                    Map.of(
                        "field", leaf(v.getPropertyPath().toString()), "message", v.getMessage()))
            .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
            .toList();
    return of(
        ProblemType.INVALID_REQUEST,
        violations.size() + " field(s) failed validation",
        Map.of("violations", violations),
        path(uri));
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e, UriInfo uri) {
    return of(ProblemType.NOT_FOUND, "no resource at this path", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, UriInfo uri) {
    Response r = of(ProblemType.METHOD_NOT_ALLOWED, "method not allowed here", Map.of(), path(uri));
    String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
    return allow == null ? r : Response.fromResponse(r).header(HttpHeaders.ALLOW, allow).build();
  }

  @ServerExceptionMapper
  public Response unsupported(NotSupportedException e, UriInfo uri) {
    return of(
        ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "send the content type this endpoint documents (usually application/json)",
        Map.of(),
        path(uri));
  }

  @ServerExceptionMapper
  public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
    return of(ProblemType.NOT_ACCEPTABLE, "ask for application/json", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e, UriInfo uri) {
    return of(ProblemType.UNAUTHORIZED, "send an OIDC bearer token", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
    return of(ProblemType.UNAUTHORIZED, "the bearer token was not accepted", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return of(ProblemType.FORBIDDEN, "this endpoint needs another role", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof JsonProcessingException j) {
        return json(j, uri);
      }
      if (c instanceof BodyTooLargeException b) {
        return bodyTooLarge(b, uri);
      }
    }
    int status = e.getResponse().getStatus();
    if (status == 413) {
      return of(ProblemType.BODY_TOO_LARGE, "request body too large", Map.of(), path(uri));
    }
    if (status >= 400 && status < 500) {
      return of(ProblemType.INVALID_REQUEST, "the request was not accepted", Map.of(), path(uri));
    }
    LOG.errorf(e, "request failed with status %d", status);
    return of(ProblemType.INTERNAL, "internal error; see the service log", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response bodyTooLarge(BodyTooLargeException e, UriInfo uri) {
    return of(ProblemType.BODY_TOO_LARGE, e.getMessage(), Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response storage(dev.arca.attestation.storage.StorageException e, UriInfo uri) {
    if (e.isUnstorableText()) {
      return of(
          ProblemType.INVALID_REQUEST,
          "a field holds characters that cannot be stored (a NUL byte or an invalid character);"
              + " remove them",
          Map.of(),
          path(uri));
    }
    LOG.error("database failure", e);
    return of(ProblemType.UNAVAILABLE, "the database is unavailable; retry", Map.of(), path(uri));
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    // Server fault: log it here, tell the client only that it happened.
    LOG.error("unexpected failure", e);
    return of(ProblemType.INTERNAL, "internal error; see the service log", Map.of(), path(uri));
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
  }

  private static String leaf(String propertyPath) {
    int dot = propertyPath.lastIndexOf('.');
    return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
  }
}
