// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code TPM2_Quote} returned, in the TPM's own encodings, plus the values of the quoted PCRs
 * read in the same command.
 *
 * @param attest the signed TPMS_ATTEST (Part 2 §10.12.12), type TPM_ST_ATTEST_QUOTE
 * @param signature the TPMT_SIGNATURE over {@code attest} (Part 2 §11.3.4)
 * @param akPublic the attestation key's TPMT_PUBLIC
 * @param bank the PCR bank quoted ({@code sha1}, {@code sha256}, ...)
 * @param pcrs quoted PCR index to value, ascending
 */
public record TpmQuote(
    byte[] attest, byte[] signature, byte[] akPublic, String bank, Map<Integer, byte[]> pcrs) {
  public TpmQuote {
    attest = attest.clone();
    signature = signature.clone();
    akPublic = akPublic.clone();
    Map<Integer, byte[]> copy = new LinkedHashMap<>();
    pcrs.forEach((k, v) -> copy.put(k, v.clone()));
    pcrs = Collections.unmodifiableMap(copy);
  }

  @Override
  public byte[] attest() {
    return attest.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] akPublic() {
    return akPublic.clone();
  }

  /**
   * The quoted PCRs in the text form of the evidence bundle ({@code pcrs_<bank>.txt}): one line per
   * PCR, {@code <index> <hex value>}.
   */
  public String pcrsText() {
    StringBuilder sb = new StringBuilder();
    pcrs.forEach(
        (i, v) ->
            sb.append(i).append(' ').append(java.util.HexFormat.of().formatHex(v)).append('\n'));
    return sb.toString();
  }

  @Override
  public String toString() {
    return "TpmQuote[bank=" + bank + ", pcrs=" + pcrs.keySet() + "]";
  }
}
