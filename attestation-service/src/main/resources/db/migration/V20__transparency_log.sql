-- Transparency log (issue 7): the audit entries as an RFC 9162 Merkle tree.
-- Rows are only ever inserted; tlog_head is the one row the sequencer locks (SELECT ... FOR UPDATE)
-- inside the decision's own transaction, so indexes are gap-free across replicas.
CREATE TABLE tlog_head (
  id          SMALLINT PRIMARY KEY CHECK (id = 1),
  size        BIGINT NOT NULL,
  checkpoint  BYTEA
);
INSERT INTO tlog_head (id, size) VALUES (1, 0);

-- One leaf: RFC 8785 canonical JSON bytes and SHA-256(0x00 || leaf). Search columns are copies of
-- fields inside the leaf, for the auditor API only; verification uses the leaf bytes alone.
CREATE TABLE tlog_entry (
  idx        BIGINT PRIMARY KEY,
  leaf       BYTEA NOT NULL,
  leaf_hash  BYTEA NOT NULL,
  type       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  subject    TEXT NOT NULL,
  outcome    TEXT NOT NULL,
  logged_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX tlog_entry_leaf_hash ON tlog_entry (leaf_hash);
CREATE INDEX tlog_entry_subject ON tlog_entry (subject);
CREATE INDEX tlog_entry_actor ON tlog_entry (actor);
CREATE INDEX tlog_entry_logged_at ON tlog_entry (logged_at);

-- Hash of every complete subtree (SubtreeAppender's rows): level 0 = leaf hashes.
CREATE TABLE tlog_node (
  level  SMALLINT NOT NULL,
  idx    BIGINT NOT NULL,
  hash   BYTEA NOT NULL,
  PRIMARY KEY (level, idx)
);

-- Every signed checkpoint, by tree size (one per appending transaction).
CREATE TABLE tlog_checkpoint (
  size  BIGINT PRIMARY KEY,
  note  BYTEA NOT NULL
);

-- Evidence bytes, content-addressed, so any appraisal can be re-run.
CREATE TABLE tlog_evidence (
  sha256  BYTEA PRIMARY KEY,
  bytes   BYTEA NOT NULL
);
