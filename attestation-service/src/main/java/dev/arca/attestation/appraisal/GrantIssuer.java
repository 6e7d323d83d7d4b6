// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.appraisal;

import dev.arca.appraisal.PolicyOutcome;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.keyrelease.Grant;
import dev.arca.attestation.registry.GrantStore;
import dev.arca.attestation.registry.ModelRegistry;
import dev.arca.attestation.registry.ModelVersion;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePublicKey;
import dev.arca.crypto.release.KeyRelease;
import dev.arca.crypto.release.KeyReleaseInfo;
import dev.arca.crypto.release.WrappedKey;
import dev.arca.crypto.seal.DataKey;
import dev.arca.crypto.seal.SealException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Releases one model version's data key to an attested runtime: wraps it with HPKE to the runtime
 * key (crypto's {@link KeyRelease}, info binding grant id, model, version and manifest digest),
 * records the grant, and states the policy's obligations for the runtime. The unwrapped data key is
 * destroyed before this returns.
 */
@ApplicationScoped
public class GrantIssuer {

  @Inject ModelRegistry models;
  @Inject GrantStore grants;

  @ConfigProperty(name = "arca.grant.default-lease", defaultValue = "PT8H")
  Duration defaultLease;

  private final SecureRandom random = new SecureRandom();

  /**
   * Issues a grant of {@code mv} for {@code dataClasses} to {@code runtimeKey} within {@code tx}.
   *
   * @throws ProblemException {@code invalid-request} when the runtime key is not a usable X25519
   *     key
   */
  public Grant issue(
      Connection tx,
      String deviceId,
      ModelVersion mv,
      List<String> dataClasses,
      PolicyOutcome outcome,
      byte[] runtimeKey,
      Instant now)
      throws SQLException {
    UUID grantId = UUID.randomUUID();
    Duration lease = outcome.lease().orElse(defaultLease);
    Instant expires = now.plus(lease);
    Instant offlineUntil = outcome.offlineAllowance().map(now::plus).orElse(expires);
    WrappedKey wrapped = wrap(mv, grantId, runtimeKey);
    grants.record(tx, grantId, deviceId, mv.modelId(), mv.version(), runtimeKey, expires, now);
    return new Grant(
        grantId.toString(),
        mv.modelId(),
        mv.version(),
        mv.manifestDigest(),
        dataClasses,
        Base64Field.encode(wrapped.encode()),
        expires,
        offlineUntil,
        obligations(lease, outcome),
        "/v1/models/" + mv.modelId() + "/versions/" + mv.version() + "/package");
  }

  private WrappedKey wrap(ModelVersion mv, UUID grantId, byte[] runtimeKey) {
    DataKey dataKey = models.dataKey(mv);
    try {
      return KeyRelease.wrap(
          dataKey,
          HpkePublicKey.of(HpkeKem.DHKEM_X25519_HKDF_SHA256, runtimeKey),
          KeyReleaseInfo.of(
              grantId.toString(),
              mv.modelId(),
              mv.version(),
              HexFormat.of().parseHex(mv.manifestDigest())),
          random);
    } catch (HpkeException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "runtimePublicKey is not a usable X25519 key");
    } catch (SealException e) {
      throw new IllegalStateException("the data key of " + mv + " is unusable", e);
    } finally {
      dataKey.destroy();
    }
  }

  private static Map<String, Object> obligations(Duration lease, PolicyOutcome outcome) {
    Map<String, Object> obligations = new LinkedHashMap<>();
    obligations.put("leaseSeconds", lease.toSeconds());
    outcome
        .offlineAllowance()
        .ifPresent(d -> obligations.put("offlineAllowanceSeconds", d.toSeconds()));
    outcome.maxRequestsPerMinute().ifPresent(n -> obligations.put("maxRequestsPerMinute", n));
    outcome
        .reattestationInterval()
        .ifPresent(d -> obligations.put("reattestationSeconds", d.toSeconds()));
    return obligations;
  }
}
