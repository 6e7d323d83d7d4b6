// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import java.util.List;

/**
 * One TPMS_PCR_SELECTION (TPM 2.0 Part 2 §10.6.2): a bank and the PCRs selected in it.
 *
 * @param hashAlg the bank's hash algorithm (TPM_ALG_ID)
 * @param pcrs selected PCR indices, ascending
 */
public record PcrSelection(int hashAlg, List<Integer> pcrs) {
  public PcrSelection {
    pcrs = List.copyOf(pcrs);
  }

  /** The bank name, e.g. {@code sha256}. */
  public String bank() {
    return TpmAlg.hashName(hashAlg);
  }
}
