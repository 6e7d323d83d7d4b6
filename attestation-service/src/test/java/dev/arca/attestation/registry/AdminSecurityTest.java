// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import static org.hamcrest.Matchers.equalTo;

import dev.arca.attestation.api.Problem;
import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.DevDevice;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestModels;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every admin endpoint, against the real Keycloak: 401 without a token, 403 with a token lacking
 * the role, success with the right role.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class AdminSecurityTest {

  /** One endpoint: how to call it, the role it needs, a role it refuses, the success status. */
  record Endpoint(
      String name,
      String role,
      String wrongRole,
      int success,
      Function<RequestSpecification, Response> call) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String DEVICE = "sec-device-1";
  static final String MODEL = "sec-model";
  static final AtomicLong NEXT_VERSION = new AtomicLong(1);

  private boolean ready;

  /** Set-up through the API; REST Assured is only configured once a test runs. */
  @BeforeEach
  void fixtures() {
    if (ready) {
      return;
    }
    ready = true;
    new DevDevice(DEVICE).enrol(Map.of("class", "edge-box"));
    publish(MODEL, 1);
    Api.as("policy-admin")
        .contentType("application/json")
        .body(
            Map.of(
                "format",
                "dev",
                "subject",
                "class:edge-box",
                "measurements",
                Map.of("runtime", List.of("ab12cd34"))))
        .post("/v1/reference-values/sec-refs")
        .then()
        .statusCode(201);
    Api.as("policy-admin")
        .contentType("application/yaml")
        .body(policy(1))
        .post("/v1/policies")
        .then()
        .statusCode(201);
    TestPolicy.activate();
  }

  static byte[] policy(long version) {
    return ("apiVersion: arca.dev/v1alpha1\nkind: Policy\nmetadata:\n  name: sec-policy\n"
            + "  version: "
            + version
            + "\nrules:\n  - name: nothing\n    effect: permit\n"
            + "    when: \"false\"\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static Response publish(String model, long version) {
    return TestModels.publish(TestModels.seal(model, version, List.of("public"), 64));
  }

  static Stream<Arguments> endpoints() {

    return Stream.of(
            new Endpoint(
                "enrol device",
                "device-admin",
                "model-publisher",
                201,
                s ->
                    s.contentType("application/json")
                        .body(
                            String.format(
                                "{\"id\":\"sec-new-%s\",\"format\":\"dev\",\"enrolment\":{\"publicKey\":\"%s\"}}",
                                System.nanoTime(),
                                DevDevice.b64(
                                    dev.arca.evidence.dev.DevAttester.generate().publicKey())))
                        .post("/v1/devices")),
            new Endpoint(
                "list devices", "device-admin", "model-publisher", 200, s -> s.get("/v1/devices")),
            new Endpoint(
                "list devices as auditor",
                "auditor",
                "policy-admin",
                200,
                s -> s.get("/v1/devices")),
            new Endpoint(
                "get device",
                "device-admin",
                "policy-admin",
                200,
                s -> s.get("/v1/devices/" + DEVICE)),
            new Endpoint(
                "set attributes",
                "device-admin",
                "auditor",
                200,
                s ->
                    s.contentType("application/json")
                        .body("{\"attributes\":{\"class\":\"edge-box\",\"site\":\"lab\"}}")
                        .put("/v1/devices/" + DEVICE + "/attributes")),
            new Endpoint(
                "revoke device",
                "device-admin",
                "auditor",
                200,
                s -> s.post("/v1/devices/" + DEVICE + "/revoke")),
            new Endpoint(
                "add reference values",
                "policy-admin",
                "device-admin",
                201,
                s ->
                    s.contentType("application/json")
                        .body(
                            "{\"format\":\"dev\",\"subject\":\"class:edge-box\",\"measurements\":{\"runtime\":[\"ab12cd34\"]}}")
                        .post("/v1/reference-values/sec-refs")),
            new Endpoint(
                "import collateral",
                "device-admin",
                "auditor",
                201,
                s ->
                    s.contentType("application/json")
                        .body(
                            Map.of(
                                "format",
                                "sev-snp",
                                "name",
                                "genoa.crl",
                                "content",
                                Base64.getEncoder().encodeToString(freshCrl())))
                        .post("/v1/collateral")),
            new Endpoint(
                "list collateral",
                "device-admin",
                "model-publisher",
                200,
                s -> s.get("/v1/collateral")),
            new Endpoint(
                "list collateral as auditor",
                "auditor",
                "policy-admin",
                200,
                s -> s.get("/v1/collateral")),
            new Endpoint(
                "list reference values",
                "policy-admin",
                "model-publisher",
                200,
                s -> s.get("/v1/reference-values")),
            new Endpoint(
                "reference value versions",
                "auditor",
                "device-admin",
                200,
                s -> s.get("/v1/reference-values/sec-refs/versions")),
            new Endpoint(
                "list policies", "policy-admin", "device-admin", 200, s -> s.get("/v1/policies")),
            new Endpoint(
                "activate policy",
                "policy-admin",
                "device-admin",
                200,
                // The policy every other test expects stays the active one.
                s -> s.post("/v1/policies/service-test/versions/1/activate")),
            new Endpoint(
                "upload policy",
                "policy-admin",
                "model-publisher",
                422,
                s ->
                    s.contentType("application/yaml")
                        .body("name: x\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .post("/v1/policies")),
            new Endpoint(
                "publish model",
                "model-publisher",
                "policy-admin",
                201,
                s -> {
                  TestModels.Sealed m =
                      TestModels.seal(
                          "sec-m2", NEXT_VERSION.incrementAndGet(), List.of("public"), 64);
                  return s.contentType("application/octet-stream")
                      .header("Arca-Data-Key", m.dataKeyHeader())
                      .body(m.pkg())
                      .post("/v1/models/sec-m2/versions");
                }),
            new Endpoint(
                "list models", "model-publisher", "device-admin", 200, s -> s.get("/v1/models")),
            new Endpoint(
                "model versions",
                "auditor",
                "device-admin",
                200,
                s -> s.get("/v1/models/" + MODEL + "/versions")),
            new Endpoint(
                "revoke model version",
                "model-publisher",
                "auditor",
                200,
                s -> s.post("/v1/models/" + MODEL + "/versions/1/revoke")),
            new Endpoint(
                "audit search", "auditor", "policy-admin", 200, s -> s.get("/v1/audit/search")),
            new Endpoint(
                "trust publisher key",
                "policy-admin",
                "model-publisher",
                201,
                s -> {
                  String id = "sec-pub-" + NEXT_VERSION.incrementAndGet();
                  try {
                    var k =
                        dev.arca.crypto.sign.PublisherSigningKey.generate(
                            dev.arca.crypto.sign.SignatureAlgorithm.ED25519, id);
                    return s.contentType("application/json")
                        .body(
                            Map.of(
                                "keyId",
                                id,
                                "algorithm",
                                "ed25519",
                                "publicKey",
                                Base64.getUrlEncoder()
                                    .withoutPadding()
                                    .encodeToString(k.publicKey().encoded())))
                        .post("/v1/publisher-keys");
                  } catch (Exception x) {
                    throw new IllegalStateException(x);
                  }
                }),
            new Endpoint(
                "list publisher keys",
                "model-publisher",
                "device-admin",
                200,
                s -> s.get("/v1/publisher-keys")),
            new Endpoint(
                "rotate signing key",
                "policy-admin",
                "auditor",
                200,
                s -> s.post("/v1/signing-keys/rotate")))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}: 401 without a token")
  @MethodSource("endpoints")
  void a_unauthenticated(Endpoint e) {
    e.call()
        .apply(Api.anonymous())
        .then()
        .statusCode(401)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:unauthorized"));
  }

  @ParameterizedTest(name = "{0}: 401 with a forged token")
  @MethodSource("endpoints")
  void b_forgedToken(Endpoint e) {
    String forged =
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwicmVhbG1fYWNjZXNzIjp7InJvbGVzIjpbImF1ZGl0b3IiXX19.";
    e.call().apply(Api.anonymous().auth().oauth2(forged)).then().statusCode(401);
  }

  @ParameterizedTest(name = "{0}: 403 with the wrong role")
  @MethodSource("endpoints")
  void c_wrongRole(Endpoint e) {
    e.call()
        .apply(Api.as(e.wrongRole()))
        .then()
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE)
        .body("type", equalTo("urn:arca:problem:forbidden"));
    e.call().apply(Api.as("no-role")).then().statusCode(403);
  }

  @ParameterizedTest(name = "{0}: success with the right role")
  @MethodSource("endpoints")
  void d_rightRole(Endpoint e) {
    e.call().apply(Api.as(e.role())).then().statusCode(e.success());
  }

  /** A CRL never uploaded before (the store reads its issuer and dates; verifiers check it). */
  static byte[] freshCrl() {
    try {
      var g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      var key = g.generateKeyPair();
      var now = java.time.Instant.now();
      var b =
          new org.bouncycastle.cert.X509v2CRLBuilder(
              new org.bouncycastle.asn1.x500.X500Name("CN=ARK-Genoa-" + System.nanoTime()),
              java.util.Date.from(now));
      b.setNextUpdate(java.util.Date.from(now.plusSeconds(86400)));
      return b.build(
              new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                  .build(key.getPrivate()))
          .getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
