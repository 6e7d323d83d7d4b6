-- One audit store: the transparency log (tlog_*). The plain table audit_entry, written beside it
-- since V20 and served by the retired GET /v1/audit/entries, is dropped; nothing reads it.
--
-- Every audit_entry row written since V20 has its leaf in tlog_entry, with logged_at = the row's
-- created_at truncated to milliseconds. A row older than the log's first leaf (or any row, when
-- the log is empty) was written before V20 and exists nowhere else: then this migration stops
-- rather than destroy audit history. Export those rows, delete them, and start the service again.
DO $$
DECLARE
  first_leaf TIMESTAMPTZ := (SELECT min(logged_at) FROM tlog_entry);
  unlogged BIGINT;
BEGIN
  SELECT count(*) INTO unlogged FROM audit_entry
    WHERE first_leaf IS NULL OR created_at < first_leaf;
  IF unlogged > 0 THEN
    RAISE EXCEPTION 'audit_entry holds % row(s) older than the transparency log: export and delete them, then restart', unlogged;
  END IF;
END $$;

DROP TABLE audit_entry;
