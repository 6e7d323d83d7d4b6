// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.integrity;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.AuditEvent;
import dev.arca.attestation.audit.AuditLog;
import dev.arca.attestation.keyrelease.ServiceKeys;
import dev.arca.attestation.storage.Database;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.util.PGobject;

/**
 * Authenticates the service's security-relevant rows ({@link SealedTable}) with an HMAC-SHA256
 * under a service secret wrapped by the KEK, so a database writer without the KEK cannot enrol a
 * device, activate a policy, add reference values, trust a publisher key or publish a model.
 *
 * <p>Writers {@link #lock} the rows they change (which verifies them: a tampered row is never
 * re-sealed) and {@link #seal} each row after writing it; readers select {@link
 * SealedTable#columns()} and {@link #verify} each row before using it. A row whose seal does not
 * match is refused with {@code state-tampered} and logged at ERROR; it is never used.
 *
 * <p>The seal covers the table, the key and every sealed column's value as PostgreSQL returns it
 * (the JSON of a {@code jsonb} column is PostgreSQL's normalised text), so it is computed over what
 * readers will read. What it cannot catch: a writer who kept an earlier, genuinely sealed row and
 * puts it back (a rollback, say un-revoking a device). {@code arca audit verify} catches that from
 * the log ({@link dev.arca.appraisal.LoggedState}).
 *
 * <p>Rows are never sealed on the database's word: after an upgrade from a version without seals
 * (or a restored backup under another seal key) every row is refused until an operator, having
 * checked the log with {@code arca audit verify}, starts the service once with {@code
 * arca.state.adopt-rows=true} (env {@code ARCA_STATE_ADOPT_ROWS}). That start seals every row as it
 * stands and logs {@code state.sealed} with the counts. The flag is configuration, which a database
 * writer cannot set; deleting the stored seal key only makes every row fail (closed).
 */
@Startup
@ApplicationScoped
public class RowSeals {

  private static final Logger LOG = Logger.getLogger(RowSeals.class);
  private static final String SECRET = "row-seal";

  @Inject Database db;
  @Inject ServiceKeys keys;
  @Inject AuditLog audit;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.state.adopt-rows", defaultValue = "false")
  boolean adoptRows;

  private SecretKeySpec key;

  /** A row's primary key, as read from the table. */
  public record Key(SealedTable table, List<Object> values) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(table.table()).append('(');
      for (int i = 0; i < values.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(table.key().get(i)).append('=').append(values.get(i));
      }
      return s.append(')').toString();
    }
  }

  @PostConstruct
  void start() {
    key =
        db.inTransaction(
            tx -> {
              byte[] secret = keys.sharedSecret(tx, SECRET, clock);
              SecretKeySpec k = new SecretKeySpec(secret, "HmacSHA256");
              Arrays.fill(secret, (byte) 0);
              key = k;
              if (adoptRows) {
                sealExisting(tx, clock.instant());
              } else {
                warnUnsealed(tx);
              }
              return k;
            });
  }

  /** The key of the row {@code table} at {@code values} (in key-column order). */
  public static Key key(SealedTable table, Object... values) {
    return new Key(table, List.of(values));
  }

  /**
   * Verifies the row at {@code rs}'s cursor, which must include {@link SealedTable#columns()}.
   *
   * @throws ProblemException {@code state-tampered} when the row's seal is missing or wrong
   */
  public void verify(SealedTable table, ResultSet rs) throws SQLException {
    byte[] stored = rs.getBytes("row_mac");
    byte[] expected = mac(table, rs);
    if (stored == null || !MessageDigest.isEqual(stored, expected)) {
      Key k = keyOf(table, rs);
      LOG.errorf(
          "state-tampered: %s fails its integrity check (changed outside the service); refused", k);
      throw new ProblemException(
          ProblemType.STATE_TAMPERED,
          "stored "
              + k
              + " fails its integrity check: it was changed outside the service and is not used;"
              + " an operator must restore it (see arca audit verify)",
          Map.of("row", k.toString()));
    }
  }

  /**
   * Locks (FOR UPDATE) and verifies the rows of {@code table} matching {@code where}, before the
   * caller changes them.
   *
   * @return their keys, to {@link #seal} after the change
   * @throws ProblemException {@code state-tampered} when one of them fails its check
   */
  public List<Key> lock(Connection tx, SealedTable table, String where, Object... params)
      throws SQLException {
    List<Key> out = new ArrayList<>();
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT "
                + table.columns()
                + " FROM "
                + table.table()
                + " WHERE "
                + where
                + " FOR UPDATE")) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          verify(table, rs);
          out.add(keyOf(table, rs));
        }
      }
    }
    return out;
  }

  /** Seals the row {@code key} as it now stands in {@code tx} (after an insert or update). */
  public void seal(Connection tx, Key key) throws SQLException {
    SealedTable table = key.table();
    String match = String.join(" = ? AND ", table.key()) + " = ?";
    byte[] mac;
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT " + table.columns() + " FROM " + table.table() + " WHERE " + match)) {
      bind(ps, key.values(), 1);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("cannot seal " + key + ": no such row");
        }
        mac = mac(table, rs);
      }
    }
    try (PreparedStatement ps =
        tx.prepareStatement("UPDATE " + table.table() + " SET row_mac = ? WHERE " + match)) {
      ps.setBytes(1, mac);
      bind(ps, key.values(), 2);
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, List<Object> values, int first)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setObject(first + i, values.get(i));
    }
  }

  /** Says at start-up how many rows have no seal (an upgrade), and what to do about it. */
  private static void warnUnsealed(Connection tx) throws SQLException {
    for (SealedTable table : SealedTable.values()) {
      try (PreparedStatement ps =
              tx.prepareStatement(
                  "SELECT count(*) FROM " + table.table() + " WHERE row_mac IS NULL");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          LOG.warnf(
              "%d row(s) of %s carry no seal and are refused; after checking the log with 'arca"
                  + " audit verify', start once with ARCA_STATE_ADOPT_ROWS=true to seal them",
              rs.getLong(1), table.table());
        }
      }
    }
  }

  /** The operator's adoption: seal every row as it stands, and say so in the log. */
  private void sealExisting(Connection tx, Instant now) throws SQLException {
    Map<String, Object> counts = new LinkedHashMap<>();
    for (SealedTable table : SealedTable.values()) {
      List<Key> rows = new ArrayList<>();
      try (PreparedStatement ps =
              tx.prepareStatement(
                  "SELECT " + table.columns() + " FROM " + table.table() + " FOR UPDATE");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(keyOf(table, rs));
        }
      }
      for (Key k : rows) {
        seal(tx, k);
      }
      if (!rows.isEmpty()) {
        counts.put(table.table(), rows.size());
      }
    }
    if (!counts.isEmpty()) {
      audit.append(
          tx,
          new AuditEvent(
              "state.sealed", "operator:arca.state.adopt-rows", "service:state", "ok", counts),
          now);
    }
  }

  private static Key keyOf(SealedTable table, ResultSet rs) throws SQLException {
    List<Object> values = new ArrayList<>();
    for (String column : table.key()) {
      values.add(rs.getObject(column));
    }
    return new Key(table, values);
  }

  private byte[] mac(SealedTable table, ResultSet rs) throws SQLException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF("arca row seal v1");
      out.writeUTF(table.table());
      for (String column : table.sealed()) {
        out.writeUTF(column);
        write(out, rs.getObject(column), table, column);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(bytes.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  /** One value with a type tag, so no two different rows encode alike. */
  private static void write(DataOutputStream out, Object v, SealedTable table, String column)
      throws IOException {
    if (v == null) {
      out.writeByte('0');
    } else if (v instanceof String s) {
      out.writeByte('S');
      bytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (v instanceof byte[] b) {
      out.writeByte('B');
      bytes(out, b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      out.writeByte('N');
      out.writeLong(((Number) v).longValue());
    } else if (v instanceof UUID u) {
      out.writeByte('U');
      out.writeLong(u.getMostSignificantBits());
      out.writeLong(u.getLeastSignificantBits());
    } else if (v instanceof Boolean b) {
      out.writeByte(b ? 'T' : 'F');
    } else if (v instanceof Timestamp t) {
      Instant i = t.toInstant();
      out.writeByte('D');
      out.writeLong(i.getEpochSecond());
      out.writeInt(i.getNano());
    } else if (v instanceof PGobject o) {
      out.writeByte('J');
      out.writeUTF(o.getType());
      bytes(out, String.valueOf(o.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else {
      throw new IllegalStateException(
          table.table() + "." + column + " has a type the seal does not cover: " + v.getClass());
    }
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }
}
