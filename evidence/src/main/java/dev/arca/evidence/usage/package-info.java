// SPDX-License-Identifier: Apache-2.0
/**
 * Usage reports: what a runtime served and refused, counted per model, version and data class,
 * signed with the usage key its attestation bound ({@link dev.arca.evidence.ReportData}).
 */
package dev.arca.evidence.usage;
