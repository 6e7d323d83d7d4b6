// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.keyrelease;

import dev.arca.crypto.kek.KeyEncryptionKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code kek}: the key-encryption key wraps and unwraps a random value now. DOWN
 * when it cannot (an HSM unplugged, its session lost, its PIN changed): no key can then be released
 * or published, so a load balancer should send attestations to another replica. Says which KEK
 * ({@code arca.kek.uri}), never anything of the key.
 */
@Readiness
@ApplicationScoped
public class KekHealth implements HealthCheck {
  private static final byte[] AAD = "arca kek health probe".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyEncryptionKey kek;

  @Inject
  KekHealth(KeyEncryptionKey kek) {
    this.kek = kek;
  }

  @Override
  public HealthCheckResponse call() {
    byte[] probe = new byte[16];
    RANDOM.nextBytes(probe);
    var b = HealthCheckResponse.named("kek").withData("uri", kek.keyUri());
    try {
      boolean same = MessageDigest.isEqual(probe, kek.decrypt(kek.encrypt(probe, AAD), AAD));
      return (same ? b.up() : b.down().withData("error", "the KEK unwrapped another value"))
          .build();
    } catch (GeneralSecurityException | RuntimeException e) {
      return b.down()
          .withData("error", "the KEK cannot wrap and unwrap: " + e.getMessage())
          .build();
    }
  }
}
