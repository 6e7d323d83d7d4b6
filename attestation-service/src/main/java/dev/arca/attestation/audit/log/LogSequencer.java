// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.Receipt;
import dev.arca.transparency.merkle.HashReader;
import dev.arca.transparency.merkle.MerkleProver;
import dev.arca.transparency.merkle.NodeId;
import dev.arca.transparency.merkle.StoredNode;
import dev.arca.transparency.merkle.SubtreeAppender;
import dev.arca.transparency.note.SignedNote;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one writer of the transparency log in this process, with group commit.
 *
 * <p>Callers hand over an entry (and the content-addressed blobs it refers to) and wait. One thread
 * takes everything queued — up to {@code arca.audit.max-batch} entries — and writes it in one
 * transaction: lock the one-row log head ({@code SELECT ... FOR UPDATE}, so sequencers of several
 * replicas on one database take turns and indexes stay gap-free), insert the blobs, leaves and
 * every subtree hash they complete, sign one checkpoint for the new size, commit. Only after that
 * commit does a caller get its {@link Receipt}; so whatever a caller does after {@link #append}
 * returns (release a key) happens after its entry is durable. One commit (one WAL flush) serves the
 * whole batch, which is where the throughput comes from.
 *
 * <p>The sequencer keeps its own connection, outside the pool's churn, so callers that hold pooled
 * connections while they wait can never starve it.
 */
@ApplicationScoped
public class LogSequencer {
  private static final Logger LOG = Logger.getLogger(LogSequencer.class);

  /** What a caller hands over: the entry, its search columns and the blobs it refers to. */
  record Submission(
      AuditEntry entry,
      String subject,
      String outcome,
      List<byte[]> blobs,
      List<byte[]> blobDigests) {}

  private record Pending(Submission s, CompletableFuture<Receipt> done) {}

  @Inject DataSource dataSource;
  @Inject LogSigner signer;
  private CheckpointSigner fixedSigner;

  @ConfigProperty(name = "arca.audit.max-batch", defaultValue = "512")
  int maxBatch;

  @ConfigProperty(name = "arca.audit.append-timeout", defaultValue = "PT30S")
  java.time.Duration appendTimeout;

  /**
   * Test-only crash point, off by default: when {@code true}, the process halts (like SIGKILL, no
   * shutdown hooks) right after committing a batch that holds an {@code attestation.appraised}
   * entry, i.e. between the entry's commit and the grant's. Only the crash test sets it.
   */
  @ConfigProperty(name = "arca.audit.test.halt-after-appraisal-commit", defaultValue = "false")
  boolean haltAfterAppraisalCommit;

  /** For CDI. */
  LogSequencer() {}

  /**
   * Outside CDI (the log benchmark): the same sequencer over any data source and signer.
   *
   * @param maxBatch most entries per transaction
   */
  // This constructor is the non-CDI path (the log benchmark), where nothing injects the fields.
  @SuppressWarnings("UnnecessaryAssignment")
  LogSequencer(DataSource dataSource, CheckpointSigner signer, int maxBatch) {
    this.dataSource = dataSource;
    this.fixedSigner = signer;
    this.maxBatch = maxBatch;
    this.appendTimeout = java.time.Duration.ofSeconds(30);
  }

  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private Thread thread;
  private Connection connection;
  private long lastUsed;
  private static final long IDLE_CHECK_NANOS = 1_000_000_000L;
  private volatile boolean stopped;

  /**
   * Appends {@code s} and returns once it is committed.
   *
   * @throws SQLException when the batch could not be written or the wait timed out; the entry is
   *     then not in the log (or, after a timeout, its fate is unknown) and the caller must not let
   *     the decision take effect
   */
  Receipt append(Submission s) throws SQLException {
    CompletableFuture<Receipt> done = new CompletableFuture<>();
    ensureStarted();
    queue.add(new Pending(s, done));
    try {
      return done.get(appendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof SQLException sql
          ? sql
          : new SQLException("transparency log append failed: " + c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new SQLException("transparency log append timed out after " + appendTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the transparency log", e);
    }
  }

  private synchronized void ensureStarted() {
    if (thread != null) {
      return;
    }
    if (stopped) {
      throw new IllegalStateException("the log sequencer is stopped");
    }
    thread = new Thread(this::run, "arca-log-sequencer");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  synchronized void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!stopped) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, Math.max(0, maxBatch - 1));
      try {
        List<Receipt> receipts = write(batch);
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).done().complete(receipts.get(i));
        }
      } catch (SQLException | IOException | RuntimeException e) {
        LOG.errorf("transparency log batch of %d failed: %s", batch.size(), e.getMessage());
        closeConnection();
        SQLException failure =
            e instanceof SQLException sql
                ? sql
                : new SQLException("transparency log append failed: " + e.getMessage(), e);
        for (Pending p : batch) {
          p.done().completeExceptionally(failure);
        }
      }
      batch.clear();
    }
    closeConnection();
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done().completeExceptionally(new SQLException("the log sequencer stopped"));
    }
  }

  private List<Receipt> write(List<Pending> batch) throws SQLException, IOException {
    Connection c = connection();
    try {
      long first;
      try (PreparedStatement ps =
              c.prepareStatement("SELECT size FROM tlog_head WHERE id = 1 FOR UPDATE");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the transparency log head row is missing");
        }
        first = rs.getLong(1);
      }
      List<byte[]> leafHashes = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        leafHashes.add(p.s().entry().leafHash());
      }
      BatchHashReader hashes = new BatchHashReader(new PgLogReader(c).hashReader());
      List<StoredNode> nodes = SubtreeAppender.append(hashes, first, leafHashes);
      hashes.add(nodes);
      insertBlobs(c, batch);
      insertEntries(c, first, batch);
      insertNodes(c, nodes);
      long size = first + batch.size();
      SignedNote checkpoint =
          (fixedSigner != null ? fixedSigner : signer.signer())
              .sign(size, MerkleProver.rootHash(hashes, size));
      byte[] note = checkpoint.encode();
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO tlog_checkpoint (size, note) VALUES (?, ?)")) {
        ps.setLong(1, size);
        ps.setBytes(2, note);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE tlog_head SET size = ?, checkpoint = ? WHERE id = 1")) {
        ps.setLong(1, size);
        ps.setBytes(2, note);
        ps.executeUpdate();
      }
      // Every older node the batch's proofs need, in one query.
      java.util.Set<NodeId> needed = new java.util.LinkedHashSet<>();
      for (int i = 0; i < batch.size(); i++) {
        needed.addAll(MerkleProver.inclusionNodes(first + i, size));
      }
      hashes.readHashes(new ArrayList<>(needed));
      List<Receipt> receipts = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        long index = first + i;
        receipts.add(
            new Receipt(index, size, MerkleProver.inclusionProof(hashes, index, size), note));
      }
      c.commit();
      if (haltAfterAppraisalCommit
          && batch.stream().anyMatch(p -> p.s().entry().type().equals("attestation.appraised"))) {
        LOG.warn("arca.audit.test.halt-after-appraisal-commit: halting after the entry's commit");
        Runtime.getRuntime().halt(86);
      }
      return receipts;
    } catch (SQLException | IOException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The connection is replaced after a failed batch anyway.
      }
      throw e;
    }
  }

  /**
   * The sequencer's own connection, kept across batches. One idle for over a second is checked
   * first, so after a database restart the next entry gets a fresh connection instead of failing on
   * the dead one (under load a dead connection fails one batch, then is replaced).
   */
  private Connection connection() throws SQLException {
    long now = System.nanoTime();
    if (connection != null && now - lastUsed > IDLE_CHECK_NANOS && !connection.isValid(2)) {
      closeConnection();
    }
    lastUsed = now;
    if (connection == null) {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Broken already; the pool discards it.
      }
      connection = null;
    }
  }

  private static void insertBlobs(Connection c, List<Pending> batch) throws SQLException {
    boolean any = false;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tlog_evidence (sha256, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      for (Pending p : batch) {
        List<byte[]> blobs = p.s().blobs();
        for (int i = 0; i < blobs.size(); i++) {
          ps.setBytes(1, p.s().blobDigests().get(i));
          ps.setBytes(2, blobs.get(i));
          ps.addBatch();
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  private static void insertEntries(Connection c, long first, List<Pending> batch)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tlog_entry (idx, leaf, leaf_hash, type, actor, subject, outcome,"
                + " logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      long index = first;
      for (Pending p : batch) {
        AuditEntry e = p.s().entry();
        ps.setLong(1, index++);
        ps.setBytes(2, e.leafBytes());
        ps.setBytes(3, e.leafHash());
        ps.setString(4, e.type());
        ps.setString(5, e.actor());
        ps.setString(6, p.s().subject());
        ps.setString(7, p.s().outcome());
        ps.setTimestamp(8, Timestamp.from(e.time()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertNodes(Connection c, List<StoredNode> nodes) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO tlog_node (level, idx, hash) VALUES (?, ?, ?)")) {
      for (StoredNode n : nodes) {
        ps.setInt(1, n.node().level());
        ps.setLong(2, n.node().index());
        ps.setBytes(3, n.hash());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Hashes of this batch's new nodes from memory, older ones from the store (read once each), so a
   * batch's root and receipts cost a few queries, not a few per entry.
   */
  private static final class BatchHashReader implements HashReader {
    private final HashReader store;
    private final Map<NodeId, byte[]> known = new HashMap<>();

    BatchHashReader(HashReader store) {
      this.store = store;
    }

    void add(List<StoredNode> nodes) {
      for (StoredNode n : nodes) {
        known.put(n.node(), n.hash());
      }
    }

    @Override
    public List<byte[]> readHashes(List<NodeId> ids) throws IOException {
      List<NodeId> missing = new ArrayList<>();
      for (NodeId id : ids) {
        if (!known.containsKey(id)) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty()) {
        List<byte[]> read = store.readHashes(missing);
        for (int i = 0; i < missing.size(); i++) {
          known.put(missing.get(i), read.get(i));
        }
      }
      List<byte[]> out = new ArrayList<>(ids.size());
      for (NodeId id : ids) {
        out.add(known.get(id));
      }
      return out;
    }
  }
}
