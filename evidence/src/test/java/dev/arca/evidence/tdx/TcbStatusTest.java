// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.evidence.Trustworthiness;
import org.junit.jupiter.api.Test;

/**
 * TCB level matching and the status each level gives. Uses the body of the real TCB info with its
 * levels edited (matching logic only: no signature is involved or claimed here).
 */
class TcbStatusTest {
  private static final int[] PCK_SGX = {3, 3, 2, 2, 2, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final byte[] TEE_TCB_SVN = {3, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  private static TcbInfo withFirstLevel(String status, int sgx0, int tdx2) throws Exception {
    ObjectNode root =
        (ObjectNode)
            new ObjectMapper()
                .readTree(TdxVerifierTest.resource("sample_tcbInfo_response"))
                .get("tcbInfo");
    ObjectNode level = (ObjectNode) root.get("tcbLevels").get(0);
    level.put("tcbStatus", status);
    ObjectNode tcb = (ObjectNode) level.get("tcb");
    for (int i = 0; i < 16; i++) {
      ((ObjectNode) tcb.get("sgxtcbcomponents").get(i)).put("svn", i == 0 ? sgx0 : 0);
    }
    ((ObjectNode) tcb.get("tdxtcbcomponents").get(2)).put("svn", tdx2);
    return TcbInfo.parse(root);
  }

  @Test
  void everyStatusIsReportedWithItsTrustworthiness() throws Exception {
    for (TcbStatus s : TcbStatus.values()) {
      if (s == TcbStatus.LEVEL_NOT_FOUND) {
        continue;
      }
      TcbInfo.Level l = withFirstLevel(s.jsonName(), 3, 4).match(PCK_SGX, 11, TEE_TCB_SVN);
      assertThat(l.status()).isEqualTo(s);
      assertThat(Trustworthiness.tierOf(s.hardwareTrustworthiness()))
          .isEqualTo(
              s == TcbStatus.UP_TO_DATE
                  ? Trustworthiness.Tier.AFFIRMING
                  : s == TcbStatus.REVOKED
                      ? Trustworthiness.Tier.CONTRAINDICATED
                      : Trustworthiness.Tier.WARNING);
    }
    assertThat(TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED.flagId("tdx.tcb"))
        .isEqualTo("tdx.tcb.out-of-date-configuration-needed");
    assertThat(TcbStatus.SW_HARDENING_NEEDED.flagId("tdx.tcb"))
        .isEqualTo("tdx.tcb.sw-hardening-needed");
  }

  @Test
  void aHigherComponentAnywhereSkipsTheLevel() throws Exception {
    // SGX component 0 above the platform's 3: the first level does not match; the second
    // (OutOfDate, with advisories) needs 5 as well, so no level matches.
    assertThat(withFirstLevel("UpToDate", 4, 4).match(PCK_SGX, 11, TEE_TCB_SVN)).isNull();
    // TDX component 2 above the TEE TCB SVN's 4: no match either.
    assertThat(withFirstLevel("UpToDate", 3, 5).match(PCK_SGX, 11, TEE_TCB_SVN)).isNull();
    // PCE SVN below the level's 11.
    assertThat(withFirstLevel("UpToDate", 3, 4).match(PCK_SGX, 10, TEE_TCB_SVN)).isNull();
  }

  @Test
  void worseStatusWins() {
    assertThat(TcbStatus.worse(TcbStatus.UP_TO_DATE, TcbStatus.OUT_OF_DATE))
        .isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(TcbStatus.worse(TcbStatus.REVOKED, TcbStatus.SW_HARDENING_NEEDED))
        .isEqualTo(TcbStatus.REVOKED);
  }
}
