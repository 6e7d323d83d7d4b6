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
 * Issues EAR attestation result tokens (draft-ietf-rats-ear, JWT serialisation) signed ES256 with
 * the active {@link SigningKeys} key. The runtime's HPKE X25519 key is bound in {@code cnf} as a
 * JWK (RFC 7800 section 3.2), so relying parties encrypt only to the attested runtime.
 */
@ApplicationScoped
public class EarIssuer {
  /** EAR profile identifier from draft-ietf-rats-ear. */
  public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";

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

  /** One appraised component: status, vector, policy. */
  public record Submodule(
      String status, Map<String, Integer> trustworthinessVector, String policyId) {}

  /**
   * Signs a token for {@code deviceId}.
   *
   * @param runtimeKey raw 32-byte X25519 public key of the runtime
   * @param nonce the challenge nonce, echoed as {@code eat_nonce}
   * @param grants listed in the private claim {@code arca.grants} ({@code model}, {@code version},
   *     {@code dataClasses}), so an application checks what the runtime may serve before it sends
   *     data
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
    c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    c.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
    c.setClaim("eat_profile", EAR_PROFILE);
    c.setClaim("eat_nonce", b64.encodeToString(nonce));
    c.setClaim(
        "ear.verifier-id",
        Map.of("developer", "https://arca.dev", "build", "arca-attestation-service"));
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
    List<Map<String, Object>> granted = new ArrayList<>();
    for (Grant g : grants) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", g.modelId());
      m.put("version", g.version());
      m.put("dataClasses", g.dataClasses());
      granted.add(m);
    }
    c.setClaim("arca.grants", granted);
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
}
