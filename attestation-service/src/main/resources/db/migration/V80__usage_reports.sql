-- Usage reports (UsageReports). usage_key: each usage-report key a device's runtime attested (its
-- report data bound it), with the audit entry of that appraisal; sealed (RowSeals), so a database
-- writer cannot make the service accept reports signed by a key of theirs. usage_report: the
-- digest of every report accepted, so an upload repeated after a lost answer is logged once.
CREATE TABLE usage_key (
  device_id    TEXT NOT NULL,
  public_key   BYTEA NOT NULL,
  attested_at  TIMESTAMPTZ NOT NULL,
  audit_index  BIGINT NOT NULL,
  row_mac      BYTEA,
  PRIMARY KEY (device_id, public_key)
);

CREATE TABLE usage_report (
  digest       BYTEA PRIMARY KEY,
  device_id    TEXT NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL,
  audit_index  BIGINT NOT NULL
);
