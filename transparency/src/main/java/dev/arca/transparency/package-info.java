// SPDX-License-Identifier: Apache-2.0
/**
 * Framework-free core of Arca's tamper-evident audit log: RFC 9162 Merkle hashing and proofs
 * ({@code merkle}), C2SP signed notes ({@code note}) and checkpoints ({@code checkpoint}), C2SP
 * tlog-tiles ({@code tiles}), RFC 8785 canonical JSON ({@code json}) and audit entries plus an
 * in-memory reference log ({@code log}). The attestation service and the auditor's offline tool use
 * the same code, so an auditor re-verifies with exactly what the log used.
 */
package dev.arca.transparency;
