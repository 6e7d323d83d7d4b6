// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.EvidenceException;

/**
 * Fuzzes the collateral parsers (signed JSON slicing, TCB info, QE identity, CRL): anything other
 * than {@link EvidenceException} escaping is a finding. Seeds: the real TCB info, QE identity and
 * PCK CRL.
 */
class TdxCollateralFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void fuzzCollateral(byte[] input) {
    try {
      SignedJson s = SignedJson.parse(input, "tcbInfo", "tdx.tcb-info.malformed");
      TcbInfo.parse(s.body());
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("tdx."));
    }
    try {
      SignedJson s = SignedJson.parse(input, "enclaveIdentity", "tdx.qe-identity.malformed");
      QeIdentity.parse(s.body());
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("tdx."));
    }
    try {
      PckRevocation.parse(input, "tdx.pck-crl");
    } catch (EvidenceException e) {
      assertThat(e.ids()).containsExactly("tdx.pck-crl.malformed");
    }
  }
}
