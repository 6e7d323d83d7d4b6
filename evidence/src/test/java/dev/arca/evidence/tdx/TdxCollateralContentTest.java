// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.tdx.TdxCollateralSignerTest.Issued;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the verifier checks inside TCB info and QE identity: the real collateral edited (FMSPC,
 * PCE-ID, TDX module, dates, QE identity fields, TCB levels) and re-signed by a test TCB Signing
 * certificate under a test root that is trusted next to the pinned Intel root, so only the edit
 * differs from the real, accepted collateral.
 */
class TdxCollateralContentTest {
  private static final String TCB_INFO = "sample_tcbInfo_response";
  private static final String QE_IDENTITY = "sample_qeIdentity_response";

  private final TdxVerifier verifier = new TdxVerifier();
  private final Issued root = Issued.root("CN=Test SGX Root CA,O=Arca Test");
  private final Issued tcbSigning = root.issue("CN=Intel SGX TCB Signing,O=Arca Test", false);

  private static String text(String name) {
    return new String(TdxVerifierTest.resource(name), StandardCharsets.UTF_8);
  }

  /** The real TCB info with {@code from} replaced by {@code to}, re-signed. */
  private Map<String, byte[]> tcbInfo(String from, String to) throws Exception {
    String json = text(TCB_INFO);
    assertThat(json).contains(from);
    return tcbInfo(json.replace(from, to));
  }

  private Map<String, byte[]> tcbInfo(String json) throws Exception {
    return Map.of(
        TCB_INFO,
        TdxCollateralSignerTest.resign(
            json.getBytes(StandardCharsets.UTF_8), "tcbInfo", tcbSigning.keys().getPrivate()),
        "tcbinfo_issuer_chain.pem",
        TdxCollateralSignerTest.pem(tcbSigning, root));
  }

  /** The real QE identity with {@code from} replaced by {@code to}, re-signed. */
  private Map<String, byte[]> qeIdentity(String from, String to) throws Exception {
    String json = text(QE_IDENTITY);
    assertThat(json).contains(from);
    return Map.of(
        QE_IDENTITY,
        TdxCollateralSignerTest.resign(
            json.replace(from, to).getBytes(StandardCharsets.UTF_8),
            "enclaveIdentity",
            tcbSigning.keys().getPrivate()),
        "qeidentity_issuer_chain.pem",
        TdxCollateralSignerTest.pem(tcbSigning, root));
  }

  private VerificationContext context(Map<String, byte[]> replaced) {
    Map<String, byte[]> collateral = TdxVerifierTest.collateral();
    collateral.putAll(replaced);
    return TdxVerifierTest.context(TdxVerifierTest.AT, collateral).trustAnchor(root.cert()).build();
  }

  private List<String> ids(Map<String, byte[]> replaced) {
    try {
      verifier.verify(TdxVerifierTest.QUOTE, context(replaced));
      return List.of();
    } catch (EvidenceException e) {
      return e.ids();
    }
  }

  @Test
  void parsedCollateralIsRememberedByItsBytesOnly() throws Exception {
    // TCB info and QE identity parses are cached: re-signed edits after an accepted original, and
    // the original again after them, are each judged on their own content.
    Map<String, byte[]> original = tcbInfo(text(TCB_INFO));
    Map<String, byte[]> otherFmspc =
        tcbInfo("\"fmspc\":\"50806f000000\"", "\"fmspc\":\"50806f000001\"");
    Map<String, byte[]> otherQe = qeIdentity("\"isvprodid\":2", "\"isvprodid\":3");
    for (int i = 0; i < 2; i++) {
      assertThat(ids(original)).isEmpty();
      assertThat(ids(otherFmspc)).containsExactly("tdx.tcb-info.fmspc-mismatch");
      assertThat(ids(otherQe)).containsExactly("tdx.qe-identity.mismatch");
    }
  }

  @Test
  void tcbInfoForAnotherFmspcIsRefused() throws Exception {
    assertThat(ids(tcbInfo("\"fmspc\":\"50806f000000\"", "\"fmspc\":\"50806f000001\"")))
        .containsExactly("tdx.tcb-info.fmspc-mismatch");
  }

  @Test
  void tcbInfoForAnotherPceIdIsRefused() throws Exception {
    assertThat(ids(tcbInfo("\"pceId\":\"0000\"", "\"pceId\":\"0001\"")))
        .containsExactly("tdx.tcb-info.pceid-mismatch");
  }

  @Test
  void aTdxModuleSignedByAnotherMrSignerIsRefused() throws Exception {
    String zeros = "0".repeat(96);
    assertThat(ids(tcbInfo("\"mrsigner\":\"" + zeros, "\"mrsigner\":\"01" + zeros.substring(2))))
        .containsExactly("tdx.tcb-info.tdx-module-mismatch");
  }

  @Test
  void seamAttributesOtherThanTheTdxModulesAreRefused() throws Exception {
    // The quote's SEAM attributes are zero; the TCB info now expects bit 0 set under a full mask.
    assertThat(
            ids(
                tcbInfo(
                    "\"attributes\":\"0000000000000000\"", "\"attributes\":\"0100000000000000\"")))
        .containsExactly("tdx.tcb-info.tdx-module-mismatch");
  }

  @Test
  void tcbInfoIssuedAfterTheCheckTimeIsNotYetValid() throws Exception {
    assertThat(
            ids(
                tcbInfo(
                    "\"issueDate\":\"2023-06-18T08:42:58Z\"",
                    "\"issueDate\":\"2023-07-01T00:00:01Z\"")))
        .containsExactly("tdx.tcb-info.not-yet-valid");
  }

  @Test
  void tcbInfoIssuedExactlyAtTheCheckTimeIsCurrent() throws Exception {
    assertThat(
            ids(
                tcbInfo(
                    "\"issueDate\":\"2023-06-18T08:42:58Z\"",
                    "\"issueDate\":\"2023-07-01T00:00:00Z\"")))
        .isEmpty();
  }

  @Test
  void signedTcbInfoOfAnUnsupportedVersionIsRefused() throws Exception {
    assertThat(ids(tcbInfo("\"version\":3", "\"version\":4")))
        .containsExactly("tdx.tcb-info.unsupported-version");
  }

  @Test
  void qeIdentityOfAnotherEnclaveIsRefused() throws Exception {
    assertThat(ids(qeIdentity("\"id\":\"TD_QE\"", "\"id\":\"QE\"")))
        .containsExactly("tdx.qe-identity.mismatch");
  }

  @Test
  void aQeReportFromAnotherSignerThanTheQeIdentitysIsRefused() throws Exception {
    assertThat(ids(qeIdentity("\"mrsigner\":\"DC9E", "\"mrsigner\":\"DC9F")))
        .containsExactly("tdx.qe-identity.mismatch");
  }

  @Test
  void signedQeIdentityOfAnUnsupportedVersionIsRefused() throws Exception {
    assertThat(ids(qeIdentity("\"version\":2", "\"version\":3")))
        .containsExactly("tdx.qe-identity.unsupported-version");
  }

  @Test
  void collateralThatIsNotSignedJsonIsMalformed() {
    assertThat(ids(Map.of(TCB_INFO, "{}".getBytes(StandardCharsets.UTF_8))))
        .containsExactly("tdx.tcb-info.malformed");
  }

  @Test
  void aMatchingTcbLevelGivesItsStatusDateAndAdvisories() throws Exception {
    // One level exactly at this platform's SVNs (SGX 3,3,2,2,2,1,0,2; PCE 11; TEE 3.0.4).
    String level =
        "{\"tcb\":{\"sgxtcbcomponents\":["
            + svns(3, 3, 2, 2, 2, 1, 0, 2)
            + "],\"pcesvn\":11,\"tdxtcbcomponents\":["
            + svns(3, 0, 4)
            + "]},\"tcbDate\":\"2022-08-10T00:00:00Z\",\"tcbStatus\":\"OutOfDate\","
            + "\"advisoryIDs\":[\"INTEL-SA-00837\"]}";
    String json = text(TCB_INFO);
    int start = json.indexOf("\"tcbLevels\":[") + "\"tcbLevels\":[".length();
    int end = json.indexOf("]},\"signature\"");
    Claims c =
        verifier.verify(
            TdxVerifierTest.QUOTE,
            context(tcbInfo(json.substring(0, start) + level + json.substring(end))));
    assertThat(c.tcb())
        .containsEntry("platformTcbStatus", "OutOfDate")
        .containsEntry("tcbStatus", "OutOfDate")
        .containsEntry("tcbDate", "2022-08-10T00:00:00Z");
    assertThat(c.raw()).containsEntry("advisoryIds", List.of("INTEL-SA-00837"));
    assertThat(c.insecureFlags()).containsExactly("tdx.tcb.out-of-date");
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.HARDWARE))
        .isEqualTo(Trustworthiness.WARNING + 1); // TcbStatus: OutOfDate is a warning
  }

  /** 16 TCB components: the given SVNs, then zeros. */
  private static String svns(int... first) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      b.append(i == 0 ? "" : ",").append("{\"svn\":").append(i < first.length ? first[i] : 0);
      b.append('}');
    }
    return b.toString();
  }
}
