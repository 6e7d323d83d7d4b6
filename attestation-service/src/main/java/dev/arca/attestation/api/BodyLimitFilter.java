// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits request bodies of the JSON API (default 1 MiB), by declared length and while reading.
 * Policy documents have 4 MiB ({@code arca.api.max-policy-bytes}, the policy loader's own limit).
 * Model package uploads have their own, larger limit ({@code arca.models.max-package-bytes}),
 * enforced by the upload itself; the HTTP layer's {@code quarkus.http.limits.max-body-size} is only
 * the outer bound.
 */
@Provider
@PreMatching
public final class BodyLimitFilter implements ContainerRequestFilter {

  private static final Pattern PACKAGE_UPLOAD = Pattern.compile("/?v1/models/[^/]+/versions/?");
  private static final Pattern POLICIES = Pattern.compile("/?(v1|console)/policies(/.*)?");

  @ConfigProperty(name = "arca.api.max-json-bytes", defaultValue = "1048576")
  long maxJsonBytes;

  /**
   * A policy document (YAML or text to {@code /v1/policies...}): a fleet's policy of 10,000 rules
   * is about 1.5 MB, so its bound is the policy loader's own file limit.
   */
  @ConfigProperty(name = "arca.api.max-policy-bytes", defaultValue = "4194304")
  long maxPolicyBytes;

  @Override
  public void filter(ContainerRequestContext ctx) throws IOException {
    String path = ctx.getUriInfo().getPath();
    if (PACKAGE_UPLOAD.matcher(path).matches() && "POST".equals(ctx.getMethod()) && !isJson(ctx)) {
      return; // a package upload; limited by ModelRegistry
    }
    long limit = POLICIES.matcher(path).matches() && !isJson(ctx) ? maxPolicyBytes : maxJsonBytes;
    String length = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > limit) {
          throw new BodyTooLargeException(limit);
        }
      } catch (NumberFormatException e) {
        // Vert.x rejects a malformed Content-Length before we get here; fall through.
      }
    }
    ctx.setEntityStream(new Limited(ctx.getEntityStream(), limit));
  }

  private static boolean isJson(ContainerRequestContext ctx) {
    return ctx.getMediaType() != null && "json".equals(ctx.getMediaType().getSubtype());
  }

  /** Counts bytes and fails once past the limit, for bodies without a Content-Length. */
  static final class Limited extends FilterInputStream {
    private final long limit;
    private long read;

    Limited(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }
  }
}
