// SPDX-License-Identifier: Apache-2.0
/**
 * Audit entries and the append-only log contract: {@link dev.arca.transparency.log.AuditEntry}
 * (canonical JSON leaf), {@link dev.arca.transparency.log.AppendOnlyLog} (what a store provides,
 * with proofs, tiles and checkpoints derived from it) and {@link
 * dev.arca.transparency.log.InMemoryLog}, the reference implementation a database-backed log must
 * match.
 */
package dev.arca.transparency.log;
