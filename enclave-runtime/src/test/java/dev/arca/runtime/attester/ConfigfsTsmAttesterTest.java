// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.Claims;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.cca.CcaVerifier;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.EcKeys;
import dev.arca.evidence.cose.TestCoseSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigfsTsmAttesterTest {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path tmp;

  /** What the runtime binds: SHA-256 of nonce, runtime key and measurement log (32 bytes). */
  private static byte[] runtimeReportData() {
    return ReportData.ofLog(
        new byte[32], new byte[32], "sha256 model.onnx\n".getBytes(StandardCharsets.UTF_8));
  }

  private static final FakeTsm.Provider ECHO =
      inblob -> ("report over " + inblob.length).getBytes(StandardCharsets.UTF_8);

  @Test
  void ccaTokenFromTheTsmVerifiesWithTheTestPlatformKeyAndBindsTheRuntimesReportData()
      throws Exception {
    KeyPair platform = TestCoseSigner.generate(CoseAlgorithm.ES384);
    FakeTsm tsm = new FakeTsm(tmp, "arm_cca_guest", 0, inblob -> ccaToken(platform, inblob));
    ConfigfsTsmAttester attester = ConfigfsTsmAttester.open(tsm.root, "realm-1", null, tsm);
    byte[] reportData = runtimeReportData();

    byte[] evidence = attester.evidence(reportData);

    assertThat(attester.format()).isEqualTo("cca");
    assertThat(attester.deviceId()).isEqualTo("realm-1");
    Claims claims =
        new CcaVerifier()
            .verify(
                evidence,
                VerificationContext.expectingReportData(AT, reportData)
                    .trustedKey(platform.getPublic())
                    .build());
    assertThat(claims.reportData()).isEqualTo(Arrays.copyOf(reportData, 64));
    assertThat(claims.hardwareRooted()).isTrue();
    assertThat(tsm.leftOver()).as("every report directory removed").isZero();
  }

  @Test
  void theInblobIsTheReportDataZeroPaddedTo64BytesAndEachProviderNamesItsFormat() throws Exception {
    for (var e : Map.of("sev_guest", "sev-snp", "tdx_guest", "tdx").entrySet()) {
      FakeTsm tsm = new FakeTsm(tmp.resolve(e.getKey()), e.getKey(), 0, ECHO);
      ConfigfsTsmAttester attester = ConfigfsTsmAttester.open(tsm.root, "vm-1", 0, tsm);
      byte[] reportData = runtimeReportData();

      byte[] out = attester.evidence(reportData);

      assertThat(attester.format()).isEqualTo(e.getValue());
      assertThat(attester.provider()).isEqualTo(e.getKey());
      assertThat(FakeTsm.text(out)).isEqualTo("report over 64");
      assertThat(tsm.inblobs).singleElement().isEqualTo(Arrays.copyOf(reportData, 64));
      assertThat(tsm.leftOver()).isZero();
    }
  }

  @Test
  void anUnknownProviderIsRefusedWhenTheAttesterOpens() throws Exception {
    FakeTsm tsm = new FakeTsm(tmp, "sbi_cove_guest", 0, ECHO);

    assertThatThrownBy(() -> ConfigfsTsmAttester.open(tsm.root, "vm-1", null, tsm))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("provider 'sbi_cove_guest'")
        .hasMessageContaining("arm_cca_guest, sev_guest, tdx_guest");
    assertThat(tsm.leftOver()).isZero();
  }

  @Test
  void aGenerationThatMovedByMoreThanTheAttestersWritesIsRetriedThenRefused() throws Exception {
    FakeTsm tsm = new FakeTsm(tmp, "tdx_guest", 1, ECHO);
    ConfigfsTsmAttester attester = ConfigfsTsmAttester.open(tsm.root, "vm-1", null, tsm);

    assertThatThrownBy(() -> attester.evidence(runtimeReportData()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'generation' changed")
        .hasMessageContaining("another process");
    assertThat(tsm.created.get()).as("the probe, then each attempt").isEqualTo(1 + 3);
    assertThat(tsm.leftOver()).isZero();
  }

  @Test
  void reportDataThatDoesNotFitTheInblobIsRefusedBeforeTouchingTheKernel() throws Exception {
    FakeTsm tsm = new FakeTsm(tmp, "sev_guest", 0, ECHO);
    ConfigfsTsmAttester attester = ConfigfsTsmAttester.open(tsm.root, "vm-1", null, tsm);

    for (byte[] bad : List.of(new byte[65], new byte[0])) {
      assertThatThrownBy(() -> attester.evidence(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 to 64 bytes")
          .hasMessageContaining("got " + bad.length);
    }
    assertThat(tsm.created.get()).as("only the probe").isEqualTo(1);
  }

  @Test
  void aMissingTsmRootNamesThePathAndTheKernelFeature() {
    Path none = tmp.resolve("no-tsm");

    assertThatThrownBy(() -> ConfigfsTsmAttester.open(none, "vm-1", null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(none.resolve("report").toString())
        .hasMessageContaining("CONFIG_TSM_REPORTS");
  }

  /**
   * A CCA attestation token (tag 399) as an Arm CCA platform returns it: a platform token signed by
   * {@code platform}, bound to a realm token signed by a fresh RAK whose challenge is the inblob.
   */
  private static byte[] ccaToken(KeyPair platform, byte[] inblob) throws Exception {
    KeyPair rak = TestCoseSigner.generate(CoseAlgorithm.ES384);
    byte[] rakPoint = EcKeys.uncompressedPoint((ECPublicKey) rak.getPublic());
    byte[] zeros = new byte[32];
    Map<CborValue, CborValue> realm = new LinkedHashMap<>();
    realm.put(CborValue.Int.of(10), new CborValue.Bytes(inblob));
    realm.put(CborValue.Int.of(44235), new CborValue.Bytes(new byte[64]));
    realm.put(CborValue.Int.of(44236), new CborValue.Text("sha-256"));
    realm.put(CborValue.Int.of(44237), new CborValue.Bytes(rakPoint));
    realm.put(CborValue.Int.of(44238), new CborValue.Bytes(zeros));
    realm.put(
        CborValue.Int.of(44239),
        new CborValue.Array(
            List.of(
                new CborValue.Bytes(zeros),
                new CborValue.Bytes(zeros),
                new CborValue.Bytes(zeros),
                new CborValue.Bytes(zeros))));
    realm.put(CborValue.Int.of(44240), new CborValue.Text("sha-256"));
    Map<CborValue, CborValue> component = new LinkedHashMap<>();
    component.put(CborValue.Int.of(1), new CborValue.Text("BL"));
    component.put(CborValue.Int.of(2), new CborValue.Bytes(zeros));
    Map<CborValue, CborValue> plat = new LinkedHashMap<>();
    plat.put(CborValue.Int.of(265), new CborValue.Text("http://arm.com/CCA-SSD/1.0.0"));
    plat.put(
        CborValue.Int.of(10),
        new CborValue.Bytes(MessageDigest.getInstance("SHA-256").digest(rakPoint)));
    byte[] instanceId = new byte[33];
    instanceId[0] = 0x01;
    plat.put(CborValue.Int.of(256), new CborValue.Bytes(instanceId));
    plat.put(CborValue.Int.of(2396), new CborValue.Bytes(zeros));
    plat.put(CborValue.Int.of(2395), CborValue.Int.of(0x3000)); // secured
    plat.put(
        CborValue.Int.of(2399), new CborValue.Array(List.of(new CborValue.MapValue(component))));
    Map<CborValue, CborValue> outer = new LinkedHashMap<>();
    outer.put(CborValue.Int.of(44234), new CborValue.Bytes(signed(plat, platform)));
    outer.put(CborValue.Int.of(44241), new CborValue.Bytes(signed(realm, rak)));
    return CborEncoder.encode(new CborValue.Tag(399, new CborValue.MapValue(outer)));
  }

  private static byte[] signed(Map<CborValue, CborValue> claims, KeyPair key) throws Exception {
    return TestCoseSigner.sign(
        CborEncoder.encode(new CborValue.MapValue(claims)),
        CoseAlgorithm.ES384,
        key.getPrivate(),
        true);
  }
}
