// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.integrity;

import java.util.List;

/**
 * A table whose rows the service authenticates ({@link RowSeals}), with the columns the seal
 * covers: every column that decides what a device may do or receive. Left out on purpose are
 * bookkeeping columns the service changes without an audited decision ({@code
 * device_activation.failed_attempts}) and who/when columns that only describe a change ({@code
 * created_by}, {@code created_at}).
 *
 * <p>{@code signing_key} is not here: its private key is wrapped under the KEK with the kid as
 * associated data, which authenticates the row, and its public key is derived from it.
 */
public enum SealedTable {
  DEVICE(
      "device",
      List.of("id"),
      List.of(
          "id",
          "format",
          "identity",
          "enrolment",
          "attributes",
          "status",
          "enrolled_at",
          "revoked_at")),
  DEVICE_ACTIVATION(
      "device_activation",
      List.of("device_id"),
      List.of("device_id", "secret_sha256", "expires_at")),
  REFERENCE_VALUE(
      "reference_value",
      List.of("name", "version"),
      List.of("name", "version", "format", "subject", "measurements")),
  POLICY(
      "policy",
      List.of("name", "version"),
      List.of("name", "version", "document", "digest", "active", "activated_at")),
  PUBLISHER_KEY(
      "publisher_key",
      List.of("key_id"),
      List.of("key_id", "algorithm", "public_key", "status", "revoked_at")),
  MODEL_VERSION(
      "model_version",
      List.of("model_id", "version"),
      List.of(
          "model_id",
          "version",
          "manifest",
          "manifest_digest",
          "wrapped_data_key",
          "package_path",
          "package_size",
          "package_sha256",
          "status",
          "revoked_at")),
  KEY_GRANT(
      "key_grant",
      List.of("id"),
      List.of("id", "device_id", "model_id", "version", "runtime_key", "expires_at")),
  USAGE_KEY(
      "usage_key",
      List.of("device_id", "public_key"),
      List.of("device_id", "public_key", "attested_at", "audit_index")),
  COLLATERAL(
      "collateral",
      List.of("id"),
      List.of(
          "id",
          "format",
          "kind",
          "selection_key",
          "name",
          "content",
          "sha256",
          "issued_at",
          "not_after"));

  private final String table;

  // Both lists are List.of(...) constants: unmodifiable, though their declared type cannot say so.
  @SuppressWarnings("ImmutableEnumChecker")
  private final List<String> key;

  // See key: an unmodifiable List.of(...).
  @SuppressWarnings("ImmutableEnumChecker")
  private final List<String> sealed;

  SealedTable(String table, List<String> key, List<String> sealed) {
    this.table = table;
    this.key = key;
    this.sealed = sealed;
  }

  /** The SQL table name. */
  public String table() {
    return table;
  }

  /** The primary-key columns, which name a row in messages. */
  List<String> key() {
    return key;
  }

  /** The columns the seal covers, in the order they are authenticated. */
  List<String> sealed() {
    return sealed;
  }

  /**
   * The select list a reader must use (or include) so {@link RowSeals#verify} can check a row: the
   * sealed columns and {@code row_mac}.
   */
  public String columns() {
    return String.join(", ", sealed) + ", row_mac";
  }
}
