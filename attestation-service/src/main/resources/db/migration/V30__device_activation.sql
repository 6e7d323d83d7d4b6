-- Credential activation of a TPM device's attestation key (enrolment step 2). Only the SHA-256 of
-- the credential secret is stored, never the secret itself. A row exists while the device is
-- 'pending'; a successful activation deletes it (single use).
CREATE TABLE device_activation (
  device_id      TEXT PRIMARY KEY REFERENCES device (id) ON DELETE CASCADE,
  secret_sha256  BYTEA NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  expires_at     TIMESTAMPTZ NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0
);
