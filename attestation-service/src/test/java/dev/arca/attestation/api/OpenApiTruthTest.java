// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} against what the endpoints really do: every operation's declared security
 * against whether an anonymous request is refused with 401; the statuses real calls answer (201,
 * 409, 413, 415, 422, ...) among the declared ones; every declared 4xx as problem+json; and the
 * endpoints of the document and of docs/api.md are the same set.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiTruthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

  /** One real call: the operation it exercises and what it answered. */
  record Probe(String method, String path, int status) {}

  private static JsonNode document() throws Exception {
    String body = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    // kept for a reader of a failure
    Files.writeString(Path.of("target", "openapi.json"), body);
    return JSON.readTree(body);
  }

  private static JsonNode operation(JsonNode doc, String method, String path) {
    JsonNode op = doc.path("paths").path(path).path(method);
    assertThat(op.isMissingNode()).as(method + " " + path + " in /q/openapi").isFalse();
    return op;
  }

  /** The operation asks for the OIDC bearer token (any scheme but the grant header). */
  private static boolean needsBearerToken(JsonNode doc, JsonNode op) {
    JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
    for (JsonNode requirement : security) {
      Iterator<String> schemes = requirement.fieldNames();
      while (schemes.hasNext()) {
        if (!schemes.next().equals(OpenApiTruth.GRANT_SCHEME)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A path parameter filled so the route matches (hex digests, numbers, or a word). */
  private static String concrete(String path) {
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value =
          switch (name) {
            case "sha256" -> "0".repeat(64);
            case "level", "version", "v" -> "0";
            default -> "no-such-" + name.toLowerCase(Locale.ROOT);
          };
      m.appendReplacement(out, value);
    }
    m.appendTail(out);
    return out.toString();
  }

  @Test
  void everyOperationDeclaresTheSecurityItEnforces() throws Exception {
    JsonNode doc = document();
    List<String> checked = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").properties().iterator();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().properties().iterator();
          ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        String method = op.getKey().toUpperCase(Locale.ROOT);
        RequestSpecification anonymous = given();
        Iterator<String> media = op.getValue().path("requestBody").path("content").fieldNames();
        if (media.hasNext()) {
          // the type the operation declares, so routing reaches the security check
          anonymous.contentType(media.next()).body("{}".getBytes(StandardCharsets.UTF_8));
        }
        int status =
            anonymous.request(method, concrete(path.getKey())).then().extract().statusCode();
        boolean bearer = needsBearerToken(doc, op.getValue());
        assertThat(status == 401)
            .as(
                "%s %s declares %s and answers an anonymous call %d",
                method, path.getKey(), bearer ? "a bearer token" : "no bearer token", status)
            .isEqualTo(bearer);
        if (bearer) {
          assertThat(op.getValue().path("responses").has("401")).isTrue();
        }
        checked.add(method + " " + path.getKey());
      }
    }
    // The two that were declared wrongly: authorised by a secret in the body, or by a grant.
    assertThat(checked)
        .contains(
            "POST /v1/devices/{id}/activation",
            "GET /v1/models/{id}/versions/{version}/package",
            "POST /v1/devices");
    JsonNode download = operation(doc, "get", "/v1/models/{id}/versions/{version}/package");
    assertThat(download.path("security").toString()).contains(OpenApiTruth.GRANT_SCHEME);
    assertThat(
            doc.path("components").path("securitySchemes").path("arca-grant").path("name").asText())
        .isEqualTo("Arca-Grant");
    assertThat(operation(doc, "post", "/v1/devices/{id}/activation").path("security").size())
        .isZero();
  }

  @Test
  void theStatusesRealCallsAnswerAreDeclaredAndEveryErrorIsProblemJson() throws Exception {
    JsonNode doc = document();
    String id = "oas-" + UUID.randomUUID().toString().substring(0, 8);
    DevDevice device = new DevDevice(id);
    byte[] tooLarge = new byte[2 * 1024 * 1024];
    List<Probe> probes = new ArrayList<>();
    probes.add(probe("post", "/v1/devices", device.sendEnrolment(Map.of()).extract().statusCode()));
    probes.add(probe("post", "/v1/devices", device.sendEnrolment(Map.of()).extract().statusCode()));
    probes.add(
        probe(
            "post",
            "/v1/devices",
            call(
                Api.as("device-admin").contentType(ContentType.TEXT).body("x"),
                "POST",
                "/v1/devices")));
    probes.add(
        probe(
            "post",
            "/v1/devices",
            call(
                Api.as("device-admin").contentType(ContentType.JSON).body(tooLarge),
                "POST",
                "/v1/devices")));
    probes.add(
        probe(
            "post",
            "/v1/devices/{id}/activation",
            call(
                given().contentType(ContentType.JSON).body("{\"secret\":\"AAAA\"}"),
                "POST",
                "/v1/devices/" + id + "/activation")));
    probes.add(
        probe(
            "post",
            "/v1/devices/{id}/activation",
            call(
                given().contentType(ContentType.TEXT).body("x"),
                "POST",
                "/v1/devices/x/activation")));
    probes.add(
        probe(
            "post",
            "/v1/policies",
            call(
                Api.as("policy-admin")
                    .contentType("application/yaml")
                    .body("rules: [unclosed".getBytes(StandardCharsets.UTF_8)),
                "POST",
                "/v1/policies")));
    probes.add(
        probe(
            "post",
            "/v1/policies",
            call(
                Api.as("policy-admin").contentType(ContentType.JSON).body("{}"),
                "POST",
                "/v1/policies")));
    probes.add(
        probe(
            "post",
            "/v1/attestations",
            call(given().contentType(ContentType.TEXT).body("x"), "POST", "/v1/attestations")));
    probes.add(
        probe(
            "post",
            "/v1/attestations",
            call(
                given().contentType(ContentType.JSON).body(tooLarge), "POST", "/v1/attestations")));
    probes.add(
        probe(
            "post",
            "/v1/attestations",
            call(given().contentType(ContentType.JSON).body("{}"), "POST", "/v1/attestations")));
    probes.add(probe("post", "/v1/challenges", call(given(), "POST", "/v1/challenges")));
    probes.add(
        probe(
            "get",
            "/v1/models/{id}/versions/{version}/package",
            call(
                given().header("Arca-Grant", UUID.randomUUID().toString()),
                "GET",
                "/v1/models/no-such/versions/1/package")));
    probes.add(
        probe(
            "post",
            "/v1/models/{id}/versions",
            call(
                Api.as("model-publisher")
                    .contentType(ContentType.BINARY)
                    .header("Arca-Data-Key", Base64.getEncoder().encodeToString(new byte[32]))
                    .body(new byte[64]),
                "POST",
                "/v1/models/oas-model/versions")));
    probes.add(
        probe(
            "post",
            "/v1/models/{id}/versions",
            call(
                Api.as("model-publisher")
                    .contentType(ContentType.BINARY)
                    .header("Arca-Data-Key", "AAAA")
                    .body(new byte[64]),
                "POST",
                "/v1/models/oas-model/versions")));
    probes.add(
        probe(
            "post",
            "/v1/models/{id}/versions",
            call(
                Api.as("model-publisher").contentType(ContentType.JSON).body("{}"),
                "POST",
                "/v1/models/oas-model/versions")));

    // What the calls answered: the behaviour the document must describe.
    assertThat(probes)
        .contains(
            new Probe("post", "/v1/devices", 201),
            new Probe("post", "/v1/devices", 409),
            new Probe("post", "/v1/devices", 415),
            new Probe("post", "/v1/devices", 413),
            new Probe("post", "/v1/devices/{id}/activation", 409),
            new Probe("post", "/v1/devices/{id}/activation", 415),
            new Probe("post", "/v1/policies", 422),
            new Probe("post", "/v1/policies", 415),
            new Probe("post", "/v1/attestations", 415),
            new Probe("post", "/v1/attestations", 413),
            new Probe("post", "/v1/attestations", 400),
            new Probe("post", "/v1/challenges", 200),
            new Probe("get", "/v1/models/{id}/versions/{version}/package", 403),
            new Probe("post", "/v1/models/{id}/versions", 400),
            new Probe("post", "/v1/models/{id}/versions", 422),
            new Probe("post", "/v1/models/{id}/versions", 415));
    for (Probe p : probes) {
      JsonNode responses = operation(doc, p.method(), p.path()).path("responses");
      assertThat(responses.has(String.valueOf(p.status())))
          .as("%s %s answered %d; declared: %s", p.method(), p.path(), p.status(), names(responses))
          .isTrue();
    }

    // Every declared error of every operation is problem details.
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").properties().iterator();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().properties().iterator();
          ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        for (Iterator<Map.Entry<String, JsonNode>> rs =
                op.getValue().path("responses").properties().iterator();
            rs.hasNext(); ) {
          Map.Entry<String, JsonNode> r = rs.next();
          if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
            assertThat(r.getValue().path("content").has(Problem.MEDIA_TYPE))
                .as("%s %s %s declares problem+json", op.getKey(), path.getKey(), r.getKey())
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void theDocumentAndDocsApiMdNameTheSameEndpoints() throws Exception {
    Set<String> inDocument = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths =
            document().path("paths").properties().iterator();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
        String method = ops.next();
        if (METHODS.contains(method)) {
          inDocument.add(method.toUpperCase(Locale.ROOT) + " " + normalise(path.getKey()));
        }
      }
    }
    Set<String> inDocs = endpointsOf(Files.readString(apiMd()));
    assertThat(inDocs).as("endpoints in docs/api.md that /q/openapi lacks").isSubsetOf(inDocument);
    assertThat(inDocument).as("endpoints in /q/openapi that docs/api.md lacks").isSubsetOf(inDocs);
  }

  /**
   * The endpoints of docs/api.md's tables: a row with a method cell ({@code GET}, {@code POST},
   * ...) names each of its back-quoted paths ({@code `/v1/...`}, query strings dropped).
   */
  static Set<String> endpointsOf(String markdown) {
    Set<String> out = new TreeSet<>();
    Pattern method = Pattern.compile("\\|\\s*(GET|POST|PUT|DELETE|PATCH)\\s*\\|");
    Pattern path = Pattern.compile("`(/[^`\\s?]*)[^`]*`");
    for (String line : markdown.lines().toList()) {
      Matcher m = method.matcher(line);
      if (!line.startsWith("|") || !m.find()) {
        continue;
      }
      Matcher p = path.matcher(line.substring(m.end()));
      while (p.find()) {
        out.add(m.group(1) + " " + normalise(p.group(1)));
      }
    }
    return out;
  }

  /** Path parameters as {@code {}}, whatever their names or (brace-nesting) patterns. */
  static String normalise(String path) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '{') {
        if (depth++ == 0) {
          out.append("{}");
        }
      } else if (c == '}') {
        depth--;
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Path apiMd() {
    Path p = Path.of("..", "docs", "api.md");
    return Files.exists(p) ? p : Path.of("docs", "api.md");
  }

  private static Probe probe(String method, String path, int status) {
    return new Probe(method, path, status);
  }

  private static int call(RequestSpecification spec, String method, String path) {
    return spec.request(method, path).then().extract().statusCode();
  }

  private static List<String> names(JsonNode responses) {
    List<String> out = new ArrayList<>();
    responses.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
