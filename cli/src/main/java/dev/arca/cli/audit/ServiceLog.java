// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a service's transparency log over HTTP ({@code <service>/v1/audit/<path>}), with an
 * optional bearer token for the auditor-only resources (entry bundles, evidence). Remembers the
 * last checkpoint bytes it fetched, so the caller saves exactly the note that was verified.
 */
final class ServiceLog implements LogSource {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final Optional<String> token;
  private byte[] lastCheckpoint;

  ServiceLog(String service, Optional<String> token) {
    String s = service.endsWith("/") ? service : service + "/";
    this.base = URI.create(s).resolve("v1/audit/");
    this.token = token;
  }

  /** Fetches {@code path} below {@code /v1/audit/}; any answer but 200 is an IOException. */
  @Override
  public byte[] fetch(String path) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET();
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + path, e);
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new IOException(
          path
              + ": HTTP "
              + r.statusCode()
              + "; entry bundles need an auditor token (arca login --as <profile>, then --as"
              + " <profile>; or ARCA_TOKEN)");
    }
    if (r.statusCode() != 200) {
      String body = new String(r.body(), StandardCharsets.UTF_8);
      throw new IOException(
          path + ": HTTP " + r.statusCode() + (body.isBlank() ? "" : ": " + oneLine(body)));
    }
    if (path.equals("checkpoint")) {
      lastCheckpoint = r.body().clone();
    }
    return r.body();
  }

  @Override
  public byte[] lastCheckpoint() {
    return lastCheckpoint == null ? null : lastCheckpoint.clone();
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ").trim();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
