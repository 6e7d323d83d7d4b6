// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.challenge;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.keyrelease.ServiceKeys;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues and checks challenge nonces. Issuing writes nothing; checking verifies the MAC
 * (constant-time) and expiry at a given instant; consuming records the nonce's id in PostgreSQL
 * under a primary key, so it is accepted at most once across all replicas.
 */
@ApplicationScoped
@Startup
public class ChallengeService {
  private static final byte[] LABEL = "arca-nonce-v1".getBytes(StandardCharsets.US_ASCII);

  @Inject ServiceKeys keys;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.challenge.ttl", defaultValue = "PT60S")
  Duration ttl;

  private SecretKeySpec macKey;
  private final SecureRandom random = new SecureRandom();

  @PostConstruct
  void init() {
    byte[] k = keys.sharedSecret("challenge-mac", clock);
    macKey = new SecretKeySpec(k, "HmacSHA256");
    Arrays.fill(k, (byte) 0);
  }

  /** A fresh nonce valid from {@code now} for the configured time to live. */
  public Nonce issue(Instant now) {
    byte[] r = new byte[Nonce.RANDOM_BYTES];
    random.nextBytes(r);
    Instant expiry = now.plus(ttl);
    ByteBuffer b = ByteBuffer.allocate(Nonce.LENGTH);
    b.put(r).putLong(expiry.getEpochSecond());
    b.put(mac(b.array(), Nonce.RANDOM_BYTES + Nonce.EXPIRY_BYTES));
    return new Nonce(b.array(), Instant.ofEpochSecond(expiry.getEpochSecond()));
  }

  /**
   * Checks that {@code bytes} is a nonce this service issued and that it has not expired at {@code
   * now}. Does not consume it.
   *
   * @throws ProblemException {@link ProblemType#NONCE_INVALID} or {@link ProblemType#NONCE_EXPIRED}
   */
  public Nonce check(byte[] bytes, Instant now) {
    if (bytes.length != Nonce.LENGTH) {
      throw new ProblemException(ProblemType.NONCE_INVALID, "a nonce has 56 bytes");
    }
    int signed = Nonce.RANDOM_BYTES + Nonce.EXPIRY_BYTES;
    byte[] expected = mac(bytes, signed);
    byte[] actual = Arrays.copyOfRange(bytes, signed, Nonce.LENGTH);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new ProblemException(
          ProblemType.NONCE_INVALID, "the nonce was not issued by this service; get a new one");
    }
    Instant expiry = Instant.ofEpochSecond(ByteBuffer.wrap(bytes, Nonce.RANDOM_BYTES, 8).getLong());
    if (!now.isBefore(expiry)) {
      throw new ProblemException(
          ProblemType.NONCE_EXPIRED, "the nonce expired at " + expiry + "; get a new one");
    }
    return new Nonce(bytes, expiry);
  }

  /**
   * Records {@code nonce} as used within {@code tx}.
   *
   * @throws ProblemException {@link ProblemType#NONCE_REPLAYED} when it was used before
   */
  public void consume(Connection tx, Nonce nonce) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO consumed_nonce (nonce_id, expires_at) VALUES (?, ?)"
                + " ON CONFLICT (nonce_id) DO NOTHING")) {
      ps.setBytes(1, nonce.id());
      ps.setTimestamp(2, Timestamp.from(nonce.expiresAt()));
      if (ps.executeUpdate() == 0) {
        throw new ProblemException(
            ProblemType.NONCE_REPLAYED, "this nonce was already used; get a new one");
      }
    }
  }

  /** Deletes records of nonces that expired before {@code now}; they fail the expiry check. */
  public int purgeExpired(Connection tx, Instant now) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement("DELETE FROM consumed_nonce WHERE expires_at < ?")) {
      ps.setTimestamp(1, Timestamp.from(now.minusSeconds(5)));
      return ps.executeUpdate();
    }
  }

  private byte[] mac(byte[] data, int length) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(macKey);
      m.update(LABEL);
      m.update(data, 0, length);
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
