// SPDX-License-Identifier: Apache-2.0
/**
 * Appraisal records and their replay, with no framework dependency.
 *
 * <p>The attestation service writes an {@link dev.arca.appraisal.AppraisalRecord} into every {@code
 * attestation.appraised} and {@code attestation.rejected} audit entry: the evidence digest and
 * format, the verification time, the report-data inputs, the device's enrolment (by digest), the
 * appraisal status, the policy (name, version, document digest) and every per-model decision with
 * its inputs. {@link dev.arca.appraisal.AppraisalReplay} re-runs that appraisal with the {@code
 * evidence} module and each decision with the {@code policy} module, from blobs fetched by digest,
 * and throws {@link dev.arca.appraisal.ReplayException} naming what does not re-verify. The service
 * builds its policy input with {@link dev.arca.appraisal.DecisionInputs}, the same code the replay
 * uses.
 */
package dev.arca.appraisal;
