-- Grants are sealed like the other rows that decide what a device receives (RowSeals): a grant
-- inserted or extended with SQL is refused. Grants from before this version carry no seal and
-- live minutes; they are dropped (runtimes attest again for new ones) rather than adopted.
DELETE FROM key_grant;
ALTER TABLE key_grant ADD COLUMN row_mac BYTEA;
