// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Selection keys of the real Sapphire Rapids quote and its PCS collateral (vectors/tdx). */
class TdxCollateralKeyTest {
  private static final byte[] QUOTE = resource("tdx_prod_quote_SPR_E4.dat");
  private static final byte[] TCB_INFO = resource("sample_tcbInfo_response");
  private static final byte[] QE_IDENTITY = resource("sample_qeIdentity_response");

  private static byte[] resource(String name) {
    try (InputStream in = TdxCollateralKeyTest.class.getResourceAsStream("/vectors/tdx/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theQuotesFmspcIsTheTcbInfos() throws Exception {
    assertThat(TdxCollateralKey.fmspcOfQuote(QUOTE)).isEqualTo("50806f000000");
    assertThat(TdxCollateralKey.fmspcOfTcbInfo(TCB_INFO))
        .isEqualTo(TdxCollateralKey.fmspcOfQuote(QUOTE));
    TdxCollateralKey.Dates dates = TdxCollateralKey.datesOfTcbInfo(TCB_INFO);
    assertThat(dates.id()).isEqualTo("TDX");
    assertThat(dates.issueDate()).isEqualTo(Instant.parse("2023-06-18T08:42:58Z"));
    assertThat(dates.nextUpdate()).isEqualTo(Instant.parse("2023-07-18T08:42:58Z"));
  }

  @Test
  void theQeIdentityIsTheTdxQuotingEnclaves() throws Exception {
    TdxCollateralKey.Dates dates = TdxCollateralKey.datesOfQeIdentity(QE_IDENTITY);
    assertThat(dates.id()).isEqualTo("TD_QE");
    assertThat(dates.issueDate()).isEqualTo(Instant.parse("2023-06-08T07:24:59Z"));
    assertThat(dates.nextUpdate()).isEqualTo(Instant.parse("2023-07-08T07:24:59Z"));
  }

  @Test
  void crlsAreTheOnesOfTheQuotesPckIssuerAndRoot() throws Exception {
    assertThat(TdxCollateralKey.pckIssuerOfQuote(QUOTE))
        .contains("intel sgx pck platform ca")
        .isEqualTo(TdxCollateralKey.issuerOfCrl(resource("pckcrl"), "tdx.pck-crl"));
    assertThat(TdxCollateralKey.rootOfQuote(QUOTE))
        .contains("intel sgx root ca")
        .isEqualTo(TdxCollateralKey.issuerOfCrl(resource("rootcrl.der"), "tdx.root-crl"));
    // A test platform's CAs have names of their own: they never pick Intel's CRLs.
    byte[] test = new TestTdxQuotes().quote(new byte[64], false);
    assertThat(TdxCollateralKey.pckIssuerOfQuote(test))
        .isNotEqualTo(TdxCollateralKey.pckIssuerOfQuote(QUOTE));
    assertThat(TdxCollateralKey.rootOfQuote(test))
        .isNotEqualTo(TdxCollateralKey.rootOfQuote(QUOTE));
  }

  @Test
  void whatIsNotCollateralIsRefusedWithAnId() {
    byte[] junk = "{\"tcbInfo\": 1}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TdxCollateralKey.fmspcOfTcbInfo(junk))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tdx.tcb-info.malformed"));
    assertThatThrownBy(() -> TdxCollateralKey.datesOfQeIdentity(TCB_INFO))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tdx.qe-identity.malformed"));
    assertThatThrownBy(() -> TdxCollateralKey.issuerOfCrl(TCB_INFO, "tdx.pck-crl"))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tdx.pck-crl.malformed"));
    assertThatThrownBy(() -> TdxCollateralKey.fmspcOfQuote(new byte[10]))
        .isInstanceOf(EvidenceException.class);
  }
}
