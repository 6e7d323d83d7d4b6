// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import dev.arca.attestation.storage.Database;
import dev.arca.crypto.kek.KeyEncryptionKey;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The service's ES256 token signing keys, with rotation. Private keys are stored only wrapped under
 * the KEK. A new key is made when the newest is older than {@code arca.token.key-rotation}; a
 * retired key stays in the JWKS until every token it signed has expired ({@code arca.token.ttl}
 * after retirement). Each replica decides about rotation every minute and follows the key table
 * every 5 seconds (a cheap look at which keys are current), so a rotation made on one replica
 * reaches the others' signing and JWKS within seconds.
 */
@ApplicationScoped
@Startup
public class SigningKeys {
  private static final Logger LOG = Logger.getLogger(SigningKeys.class);

  /** A key usable for signing: its id and private key. */
  public record Active(String kid, PrivateKey privateKey) {
    @Override
    public String toString() {
      return "Active[kid=" + kid + ", private key hidden]";
    }
  }

  @Inject Database db;
  @Inject KeyEncryptionKey kek;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.token.ttl", defaultValue = "PT10M")
  Duration tokenTtl;

  @ConfigProperty(name = "arca.token.key-rotation", defaultValue = "P1D")
  Duration rotation;

  private volatile Active active;
  private volatile String jwks = "{\"keys\":[]}";

  /**
   * The rows to publish at {@code ?} (now), newest first: what both {@link #load} and {@link
   * #follow} read.
   */
  private static final String PUBLISHED =
      " WHERE publish_until IS NULL OR publish_until > ? ORDER BY created_at DESC";

  /** Which rows {@link #load} read: each published kid and whether it is retired. */
  private volatile String loaded = "";

  @PostConstruct
  void init() {
    refresh();
  }

  /** The key to sign with now. */
  public Active active() {
    return active;
  }

  /** The public JWKS document (RFC 7517): the active key and retired keys still in use. */
  public String jwksJson() {
    return jwks;
  }

  /** Reloads keys, rotating when the newest key is due. */
  @Scheduled(every = "60s", delayed = "60s")
  public synchronized void refresh() {
    Instant now = clock.instant();
    db.inTransaction(
        tx -> {
          // One replica at a time decides about rotation.
          try (PreparedStatement lock =
              tx.prepareStatement("SELECT pg_advisory_xact_lock(7342001)")) {
            lock.execute();
          }
          Row newest = newest(tx);
          if (newest == null || !newest.createdAt.plus(rotation).isAfter(now)) {
            create(tx, now);
          }
          load(tx, now);
          return null;
        });
  }

  /** Reloads the keys when another replica rotated them (or a retired key stopped publishing). */
  @Scheduled(every = "5s", delayed = "5s")
  public synchronized void follow() {
    Instant now = clock.instant();
    String current = db.read(tx -> generation(tx, now));
    if (!current.equals(loaded)) {
      db.inTransaction(
          tx -> {
            load(tx, now);
            return null;
          });
    }
  }

  /** The published rows' kids and retired flags, newest first: what {@link #load} would read. */
  private static String generation(Connection tx, Instant now) throws SQLException {
    StringBuilder g = new StringBuilder();
    try (PreparedStatement ps =
        tx.prepareStatement("SELECT kid, retired_at IS NULL FROM signing_key" + PUBLISHED)) {
      ps.setTimestamp(1, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          g.append(rs.getString(1)).append(rs.getBoolean(2) ? "+" : "-").append(' ');
        }
      }
    }
    return g.toString();
  }

  /** Retires the active key now and makes a new one (admin action, e.g. after suspicion). */
  public synchronized String rotateNow() {
    Instant now = clock.instant();
    db.inTransaction(
        tx -> {
          create(tx, now);
          load(tx, now);
          return null;
        });
    return active.kid();
  }

  private record Row(String kid, Instant createdAt) {}

  private Row newest(Connection tx) throws SQLException {
    try (PreparedStatement ps =
            tx.prepareStatement(
                "SELECT kid, created_at FROM signing_key WHERE retired_at IS NULL"
                    + " ORDER BY created_at DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new Row(rs.getString(1), rs.getTimestamp(2).toInstant()) : null;
    }
  }

  private void create(Connection tx, Instant now) throws SQLException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair kp = g.generateKeyPair();
      String kid = UUID.randomUUID().toString();
      EllipticCurveJsonWebKey jwk =
          (EllipticCurveJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(kp.getPublic());
      jwk.setKeyId(kid);
      jwk.setUse("sig");
      jwk.setAlgorithm("ES256");
      byte[] pkcs8 = kp.getPrivate().getEncoded();
      byte[] wrapped;
      try {
        wrapped = kek.encrypt(pkcs8, aad(kid));
      } finally {
        Arrays.fill(pkcs8, (byte) 0);
      }
      // Retire the previous keys; they stay published until their tokens have expired.
      try (PreparedStatement ret =
          tx.prepareStatement(
              "UPDATE signing_key SET retired_at = ?, publish_until = ? WHERE retired_at IS NULL")) {
        ret.setTimestamp(1, Timestamp.from(now));
        ret.setTimestamp(2, Timestamp.from(now.plus(tokenTtl).plusSeconds(60)));
        ret.executeUpdate();
      }
      try (PreparedStatement ins =
          tx.prepareStatement(
              "INSERT INTO signing_key (kid, public_jwk, wrapped_private, created_at)"
                  + " VALUES (?, ?, ?, ?)")) {
        ins.setString(1, kid);
        ins.setString(2, jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        ins.setBytes(3, wrapped);
        ins.setTimestamp(4, Timestamp.from(now));
        ins.executeUpdate();
      }
    } catch (GeneralSecurityException | JoseException e) {
      throw new IllegalStateException("cannot create a token signing key", e);
    }
  }

  /**
   * Loads the keys to publish and the one to sign with. What is published is derived from each
   * KEK-unwrapped private key, never read from the row's {@code public_jwk}: a database writer
   * cannot put a key of theirs in the JWKS. A row whose private key does not open under the KEK
   * (with its kid as associated data) is neither published nor used.
   */
  private void load(Connection tx, Instant now) throws SQLException {
    List<JsonWebKey> published = new ArrayList<>();
    StringBuilder generation = new StringBuilder();
    Active current = null;
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT kid, public_jwk, wrapped_private, retired_at FROM signing_key" + PUBLISHED)) {
      ps.setTimestamp(1, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String kid = rs.getString(1);
          generation.append(kid).append(rs.getTimestamp(4) == null ? "+" : "-").append(' ');
          PrivateKey key = openOrNull(kid, rs.getBytes(3));
          if (key == null) {
            continue;
          }
          JsonWebKey jwk = publicJwk(kid, key);
          if (!sameKey(jwk, rs.getString(2))) {
            LOG.warnf(
                "state-tampered: the stored public key of signing key %s is not its private"
                    + " key's; publishing the key derived from the private key",
                kid);
          }
          published.add(jwk);
          if (current == null && rs.getTimestamp(4) == null) {
            current = new Active(kid, key);
          }
        }
      }
    }
    if (current == null) {
      throw new IllegalStateException("no active signing key after refresh");
    }
    active = current;
    jwks = new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    loaded = generation.toString();
  }

  /** The private key of row {@code kid}, or null (logged) when it does not open under the KEK. */
  private PrivateKey openOrNull(String kid, byte[] wrapped) {
    try {
      return unwrap(kid, wrapped);
    } catch (IllegalStateException e) {
      LOG.warnf(
          "state-tampered: signing key row %s does not open under this KEK; it is neither"
              + " published nor used",
          kid);
      return null;
    }
  }

  /** The public JWK of a P-256 private key: Q = d·G. */
  static JsonWebKey publicJwk(String kid, PrivateKey key) {
    try {
      ECPrivateKey bc = (ECPrivateKey) key;
      ECParameterSpec params = bc.getParameters();
      PublicKey pub =
          KeyFactory.getInstance("EC", BouncyCastle.provider())
              .generatePublic(
                  new ECPublicKeySpec(params.getG().multiply(bc.getD()).normalize(), params));
      PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pub);
      jwk.setKeyId(kid);
      jwk.setUse("sig");
      jwk.setAlgorithm("ES256");
      return jwk;
    } catch (GeneralSecurityException | JoseException | ClassCastException e) {
      throw new IllegalStateException("signing key " + kid + " is not a P-256 key", e);
    }
  }

  private static boolean sameKey(JsonWebKey derived, String storedJson) {
    try {
      return ((PublicJsonWebKey) JsonWebKey.Factory.newJwk(storedJson))
          .getPublicKey()
          .equals(((PublicJsonWebKey) derived).getPublicKey());
    } catch (JoseException | RuntimeException e) {
      return false;
    }
  }

  private PrivateKey unwrap(String kid, byte[] wrapped) {
    byte[] pkcs8 = null;
    try {
      pkcs8 = kek.decrypt(wrapped, aad(kid));
      // A Bouncy Castle key object keeps the named curve's precomputed tables between
      // signatures; a JDK key makes BC rebuild them for every token (a profile showed 7% of CPU).
      return KeyFactory.getInstance("EC", BouncyCastle.provider())
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing key " + kid + " does not open under this KEK", e);
    } finally {
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  private static byte[] aad(String kid) {
    return ("arca token signing key: " + kid).getBytes(StandardCharsets.UTF_8);
  }
}
