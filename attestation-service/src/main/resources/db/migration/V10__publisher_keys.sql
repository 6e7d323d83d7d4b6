-- Publisher public keys the service trusts to sign model manifests. A key is never deleted:
-- revocation keeps the row, so old audit entries still name it.
CREATE TABLE publisher_key (
    key_id      TEXT PRIMARY KEY,
    algorithm   TEXT NOT NULL,
    public_key  BYTEA NOT NULL,
    status      TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    added_by    TEXT NOT NULL,
    revoked_at  TIMESTAMPTZ
);
