-- Vendor collateral for appraisal (CollateralStore): AMD VCEKs, ASK/ARK chains and CRLs; Intel
-- TCB info, QE identity, PCK and root CRLs and issuer chains. Uploaded, never fetched at
-- appraisal. Every item is kept (history); for each (format, kind, selection_key) the item with
-- the latest issued_at is current, the others superseded. Sealed like the registries (RowSeals).
CREATE TABLE collateral (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  format         TEXT NOT NULL,
  kind           TEXT NOT NULL,
  selection_key  TEXT NOT NULL,
  name           TEXT NOT NULL,
  content        BYTEA NOT NULL,
  sha256         TEXT NOT NULL,
  issued_at      TIMESTAMPTZ NOT NULL,
  not_after      TIMESTAMPTZ NOT NULL,
  imported_at    TIMESTAMPTZ NOT NULL,
  imported_by    TEXT NOT NULL,
  row_mac        BYTEA,
  -- The same bytes may serve two roles (Intel's TCB info and QE identity issuer chains are one
  -- chain), so content is unique per role, not per format.
  UNIQUE (format, kind, selection_key, sha256)
);
CREATE INDEX collateral_selection ON collateral (format, kind, selection_key, issued_at DESC, id DESC);
