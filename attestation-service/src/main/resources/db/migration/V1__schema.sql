-- Arca attestation service schema. Secrets are stored only wrapped under the key-encryption key.

-- A nonce is valid once: the primary key makes the second consumption fail.
CREATE TABLE consumed_nonce (
  nonce_id    BYTEA PRIMARY KEY,
  expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX consumed_nonce_expiry ON consumed_nonce (expires_at);

-- Service-wide secrets shared by all replicas (e.g. the challenge MAC key), wrapped under the KEK.
CREATE TABLE service_secret (
  name     TEXT PRIMARY KEY,
  wrapped  BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

-- Token signing keys (ES256). The private key is wrapped under the KEK.
CREATE TABLE signing_key (
  kid            TEXT PRIMARY KEY,
  public_jwk     TEXT NOT NULL,
  wrapped_private BYTEA NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  retired_at     TIMESTAMPTZ,
  publish_until  TIMESTAMPTZ
);

CREATE TABLE device (
  id           TEXT PRIMARY KEY,
  format       TEXT NOT NULL,
  identity     TEXT NOT NULL UNIQUE,
  enrolment    JSONB NOT NULL,
  attributes   JSONB NOT NULL DEFAULT '{}'::jsonb,
  status       TEXT NOT NULL,
  enrolled_at  TIMESTAMPTZ NOT NULL,
  enrolled_by  TEXT NOT NULL,
  revoked_at   TIMESTAMPTZ,
  revoked_by   TEXT
);

CREATE TABLE reference_value (
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  format      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  measurements JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  created_by  TEXT NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE TABLE policy (
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  document    TEXT NOT NULL,
  digest      BYTEA NOT NULL,
  active      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at  TIMESTAMPTZ NOT NULL,
  created_by  TEXT NOT NULL,
  activated_at TIMESTAMPTZ,
  PRIMARY KEY (name, version)
);
-- At most one active policy.
CREATE UNIQUE INDEX policy_one_active ON policy ((active)) WHERE active;

CREATE TABLE model_version (
  model_id         TEXT NOT NULL,
  version          BIGINT NOT NULL,
  manifest         JSONB NOT NULL,
  manifest_digest  BYTEA NOT NULL,
  wrapped_data_key BYTEA NOT NULL,
  package_path     TEXT NOT NULL,
  package_size     BIGINT NOT NULL,
  package_sha256   BYTEA NOT NULL,
  status           TEXT NOT NULL,
  published_at     TIMESTAMPTZ NOT NULL,
  published_by     TEXT NOT NULL,
  revoked_at       TIMESTAMPTZ,
  PRIMARY KEY (model_id, version)
);

CREATE TABLE key_grant (
  id          UUID PRIMARY KEY,
  device_id   TEXT NOT NULL,
  model_id    TEXT NOT NULL,
  version     BIGINT NOT NULL,
  runtime_key BYTEA NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX key_grant_device ON key_grant (device_id);

-- Table-backed audit log: one row per security decision, written in the decision's transaction.
CREATE TABLE audit_entry (
  seq         BIGSERIAL PRIMARY KEY,
  kind        TEXT NOT NULL,
  actor       TEXT NOT NULL,
  subject     TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  detail      JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_entry_subject ON audit_entry (subject);
