// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The rate limits of the unauthenticated device endpoints ({@code arca.rate-limit.*}): challenges
 * per client address, attestations per client address and per device id. Over a limit, a request is
 * {@link RateLimitedException} ({@code 429 rate-limited} with {@code Retry-After}) before it costs
 * anything else.
 *
 * <p>In memory, per replica: N replicas let N times a limit through, which still bounds what a
 * caller can make the service do. Defaults are far above what a device needs (one attestation per
 * lease, hours apart), so a clinic's fleet behind one address stays within them.
 *
 * <p>The device id is the caller's claim, so a flood naming a device can hold that device's own
 * attestations back (429) for as long as it lasts; its runtime then keeps serving on its offline
 * allowance (a 429 is not a refusal), and the flood itself is bounded per address.
 */
@ApplicationScoped
public class RateLimits {

  @ConfigProperty(name = "arca.rate-limit.challenges-per-address", defaultValue = "60")
  int challengesPerAddress;

  @ConfigProperty(name = "arca.rate-limit.attestations-per-address", defaultValue = "60")
  int attestationsPerAddress;

  @ConfigProperty(name = "arca.rate-limit.attestations-per-device", defaultValue = "30")
  int attestationsPerDevice;

  @ConfigProperty(name = "arca.rate-limit.period", defaultValue = "PT1M")
  Duration period;

  @ConfigProperty(name = "arca.rate-limit.max-keys", defaultValue = "10000")
  int maxKeys;

  @Inject MeterRegistry meters;

  private RateLimiter challengeAddresses;
  private RateLimiter attestationAddresses;
  private RateLimiter attestationDevices;

  @PostConstruct
  void init() {
    challengeAddresses = limiter(challengesPerAddress);
    attestationAddresses = limiter(attestationsPerAddress);
    attestationDevices = limiter(attestationsPerDevice);
  }

  /**
   * Counts a challenge from {@code address}.
   *
   * @throws RateLimitedException over the limit
   */
  public void challenge(String address) {
    check("challenges-per-address", challengeAddresses, address);
  }

  /**
   * Counts an attestation from {@code address} for {@code deviceId}.
   *
   * @throws RateLimitedException over either limit
   */
  public void attestation(String address, String deviceId) {
    check("attestations-per-address", attestationAddresses, address);
    check("attestations-per-device", attestationDevices, deviceId);
  }

  private void check(String limit, RateLimiter limiter, String key) {
    long wait = limiter.acquire(key);
    if (wait > 0) {
      meters.counter("arca.rate.limited", "limit", limit).increment();
      throw new RateLimitedException(limit, wait);
    }
  }

  private RateLimiter limiter(int capacity) {
    return new RateLimiter(capacity, period, maxKeys, System::nanoTime);
  }
}
