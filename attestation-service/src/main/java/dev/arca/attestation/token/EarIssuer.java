// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import dev.arca.attestation.keyrelease.Grant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Issues EAR attestation result tokens (draft-ietf-rats-ear-04, JWT serialisation) signed ES256
 * with the active {@link SigningKeys} key. The runtime's HPKE X25519 key is bound in {@code cnf} as
 * a JWK (RFC 7800 section 3.2), so relying parties encrypt only to the attested runtime.
 *
 * <p>Claims: {@code eat_profile} ({@link #EAR_PROFILE}), {@code iat}, {@code exp}, {@code iss},
 * {@code sub} (the device), {@code aud} ({@code arca.token.audience}: the applications of this
 * deployment), {@code eat_nonce}, {@code ear.verifier-id} ({@code developer}, and {@code build}
 * naming this service's version and commit), {@code submods} (one appraisal per evidence format:
 * {@code ear.status}, {@code ear.trustworthiness-vector}, {@code ear.appraisal-policy-id}), {@code
 * cnf}, and the unregistered extension {@link #GRANTS_CLAIM}, a map keyed by model id.
 */
@ApplicationScoped
public class EarIssuer {
  /**
   * The EAR profile identifier. draft-ietf-rats-ear-04 (May 2026, the latest revision) still names
   * this tag URI, unchanged since draft-fv-rats-ear; see docs/api.md "EAR token".
   */
  public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";

  /**
   * The Arca grants extension: an unregistered claim, so under a collision-resistant name (RFC 7519
   * section 4.2: the project's reverse domain), and a map, as EAR extensions are.
   */
  public static final String GRANTS_CLAIM = "dev.arca.grants";

  /** {@code ear.verifier-id.developer}. */
  public static final String DEVELOPER = "https://arca.dev";

  private static final String VERIFIER_BUILD = ServiceBuild.current().verifierBuild();

  private static final org.jose4j.jca.ProviderContext BC_CONTEXT = bcContext();

  private static org.jose4j.jca.ProviderContext bcContext() {
    BouncyCastle.provider();
    org.jose4j.jca.ProviderContext ctx = new org.jose4j.jca.ProviderContext();
    ctx.getSuppliedKeyProviderContext().setSignatureProvider("BC");
    return ctx;
  }

  @Inject SigningKeys keys;

  @ConfigProperty(name = "arca.token.ttl", defaultValue = "PT10M")
  Duration ttl;

  @ConfigProperty(name = "arca.token.issuer", defaultValue = "arca-attestation-service")
  String issuer;

  /** Who the tokens are for: the applications (relying parties) of this deployment. */
  @ConfigProperty(name = "arca.token.audience", defaultValue = "arca-applications")
  String audience;

  /** The {@code iss} of every token this service issues. */
  public String issuer() {
    return issuer;
  }

  /** The {@code aud} of every token this service issues. */
  public String audience() {
    return audience;
  }

  /** One appraised component: status, vector, policy. */
  public record Submodule(
      String status, Map<String, Integer> trustworthinessVector, String policyId) {}

  /**
   * Signs a token for {@code deviceId}.
   *
   * @param runtimeKey raw 32-byte X25519 public key of the runtime
   * @param nonce the challenge nonce, echoed as {@code eat_nonce}
   * @param grants listed in {@link #GRANTS_CLAIM}, keyed by model id, each model's granted versions
   *     with their {@code dataClasses}, so an application checks what the runtime may serve before
   *     it sends data
   * @param now issue time; {@code exp} is now + {@code arca.token.ttl}
   */
  public String issue(
      String deviceId,
      byte[] runtimeKey,
      byte[] nonce,
      Map<String, Submodule> submodules,
      List<Grant> grants,
      Instant now) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JwtClaims c = new JwtClaims();
    c.setIssuer(issuer);
    c.setSubject(deviceId);
    c.setAudience(audience);
    c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    c.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
    c.setClaim("eat_profile", EAR_PROFILE);
    c.setClaim("eat_nonce", b64.encodeToString(nonce));
    c.setClaim("ear.verifier-id", Map.of("developer", DEVELOPER, "build", VERIFIER_BUILD));
    Map<String, Object> subs = new LinkedHashMap<>();
    submodules.forEach(
        (name, s) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("ear.status", s.status());
          m.put("ear.trustworthiness-vector", s.trustworthinessVector());
          m.put("ear.appraisal-policy-id", s.policyId());
          subs.put(name, m);
        });
    c.setClaim("submods", subs);
    c.setClaim(GRANTS_CLAIM, grantsClaim(grants));
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", "X25519");
    jwk.put("x", b64.encodeToString(runtimeKey));
    c.setClaim("cnf", Map.of("jwk", jwk));

    SigningKeys.Active key = keys.active();
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(c.toJson());
    jws.setKey(key.privateKey());
    jws.setKeyIdHeaderValue(key.kid());
    jws.setHeader("typ", "JWT");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    // Bouncy Castle signs ES256 several times faster than SunEC on this hot path.
    jws.setProviderContext(BC_CONTEXT);
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException("cannot sign the EAR token", e);
    }
  }

  /**
   * {@code {"<model>": [{"version": 3, "dataClasses": ["phi"]}, ...]}}: a model may hold grants for
   * several versions at once (an attestation can ask for two).
   */
  private static Map<String, List<Map<String, Object>>> grantsClaim(List<Grant> grants) {
    Map<String, List<Map<String, Object>>> byModel = new LinkedHashMap<>();
    for (Grant g : grants) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", g.version());
      m.put("dataClasses", g.dataClasses());
      byModel.computeIfAbsent(g.modelId(), k -> new ArrayList<>()).add(m);
    }
    return byModel;
  }
}
