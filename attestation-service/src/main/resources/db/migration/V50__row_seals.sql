-- Row seals (RowSeals): an HMAC-SHA256, under a KEK-wrapped service secret, over each security-
-- relevant row, verified on every read. NULL = not sealed = refused, except that the first start
-- with seals seals the rows already there (and logs state.sealed).
ALTER TABLE device ADD COLUMN row_mac BYTEA;
ALTER TABLE device_activation ADD COLUMN row_mac BYTEA;
ALTER TABLE reference_value ADD COLUMN row_mac BYTEA;
ALTER TABLE policy ADD COLUMN row_mac BYTEA;
ALTER TABLE publisher_key ADD COLUMN row_mac BYTEA;
ALTER TABLE model_version ADD COLUMN row_mac BYTEA;
