// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.EvidenceException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The VCEK selection key from the real Milan report and VCEK, and the Genoa and Turin layouts. */
class VcekKeyTest {
  private static final byte[] REPORT = SevSnpVerifierTest.resource("attestation.bin");
  private static final byte[] VCEK = SevSnpVerifierTest.resource("vcek_milan.der");

  @Test
  void theRealVceksKeyIsTheKeyOfTheReportItSigned() throws Exception {
    VcekKey ofReport = VcekKey.ofReport(REPORT);
    VcekKey ofCertificate = VcekKey.ofCertificate(VCEK);
    assertThat(ofCertificate).isEqualTo(ofReport);
    AttestationReport r = AttestationReport.parse(REPORT);
    assertThat(ofReport.chipIdHex()).isEqualTo(HexFormat.of().formatHex(r.chipId()));
    assertThat(ofReport.chipIdHex()).hasSize(128).isNotEqualTo("0".repeat(128));
    // The same key the offline cache lays its directory out by.
    Path path =
        new VcekCache(Path.of("cache"))
            .pathFor(r.chipId(), TcbVersion.decode(r.reportedTcb(), Product.MILAN));
    assertThat(path.getParent().getFileName().toString()).isEqualTo(ofCertificate.chipIdHex());
    assertThat(path.getFileName().toString()).isEqualTo(ofCertificate.reportedTcbHex() + ".der");
    assertThat(ofReport.toString())
        .isEqualTo(ofReport.chipIdHex() + "/" + ofReport.reportedTcbHex());
  }

  @Test
  void aPemVcekHasTheSameKeyAsItsDer() throws Exception {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(VCEK)
            + "\n-----END CERTIFICATE-----\n";
    assertThat(VcekKey.ofCertificate(pem.getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(VcekKey.ofCertificate(VCEK));
  }

  @Test
  void genoaAndTurinSplsAreLaidOutAsTheirReportsCarryThem() throws Exception {
    byte[] chip = new byte[64];
    Arrays.fill(chip, (byte) 0x5a);
    Map<String, Integer> spls = new LinkedHashMap<>();
    spls.put(VcekExtensions.BL_SPL, 2);
    spls.put(VcekExtensions.TEE_SPL, 3);
    spls.put(VcekExtensions.SNP_SPL, 4);
    spls.put(VcekExtensions.UCODE_SPL, 5);
    VcekKey genoa = VcekKey.ofCertificate(certificate("Genoa-B1", chip, spls));
    assertThat(genoa.reportedTcbHex()).isEqualTo("0203000000000405");
    assertThat(genoa.chipIdHex()).isEqualTo("5a".repeat(64));

    spls.put(VcekExtensions.FMC_SPL, 1);
    VcekKey turin = VcekKey.ofCertificate(certificate("Turin-C1", chip, spls));
    assertThat(turin.reportedTcbHex()).isEqualTo("0102030400000005");
    // Decoding the key back with the Turin layout gives the certificate's SPLs.
    TcbVersion decoded =
        TcbVersion.decode(
            Long.reverseBytes(Long.parseUnsignedLong(turin.reportedTcbHex(), 16)), Product.TURIN);
    assertThat(decoded.asMap())
        .containsExactly(
            Map.entry("fmc", 1),
            Map.entry("bootloader", 2),
            Map.entry("tee", 3),
            Map.entry("snp", 4),
            Map.entry("microcode", 5));

    spls.remove(VcekExtensions.FMC_SPL);
    assertThatThrownBy(() -> VcekKey.ofCertificate(certificate("Turin-C1", chip, spls)))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("sevsnp.vcek.no-tcb"));
  }

  @Test
  void whatIsNoVcekIsRefusedWithAnId() throws Exception {
    Map<String, Integer> spls = Map.of(VcekExtensions.BL_SPL, 1);
    assertThat(ids(() -> VcekKey.ofCertificate(certificate("Milan-B0", null, spls))))
        .containsExactly("sevsnp.vcek.no-hwid");
    assertThat(ids(() -> VcekKey.ofCertificate(certificate("Milan-B0", new byte[64], spls))))
        .containsExactly("sevsnp.vcek.no-tcb");
    assertThat(ids(() -> VcekKey.ofCertificate(certificate("Naples", new byte[64], spls))))
        .containsExactly("sevsnp.vcek.unknown-product");
    assertThat(
            ids(
                () ->
                    VcekKey.ofCertificate("not a certificate".getBytes(StandardCharsets.US_ASCII))))
        .containsExactly("sevsnp.vcek.chain.malformed");
    assertThat(ids(() -> VcekKey.ofReport(new byte[100])))
        .containsExactly("sevsnp.report.truncated");
  }

  private interface Call {
    void run() throws Exception;
  }

  private static java.util.List<String> ids(Call call) {
    try {
      call.run();
    } catch (EvidenceException e) {
      return e.ids();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no EvidenceException");
  }

  /** A self-signed certificate with AMD's extensions (product name, hwID when given, SPLs). */
  private static byte[] certificate(String product, byte[] hwId, Map<String, Integer> spls)
      throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair key = g.generateKeyPair();
    X500Name name = new X500Name("CN=SEV-VCEK, O=Test");
    var b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(java.time.Instant.EPOCH),
            Date.from(java.time.Instant.parse("2100-01-01T00:00:00Z")),
            name,
            key.getPublic());
    b.addExtension(
        new ASN1ObjectIdentifier(VcekExtensions.PRODUCT_NAME), false, new DERIA5String(product));
    if (hwId != null) {
      // AMD puts the raw chip id in extnValue, not a DER value.
      b.addExtension(new ASN1ObjectIdentifier(VcekExtensions.HW_ID), false, hwId);
    }
    for (Map.Entry<String, Integer> e : spls.entrySet()) {
      b.addExtension(
          new ASN1ObjectIdentifier(e.getKey()), false, new ASN1Integer(e.getValue().longValue()));
    }
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
        .getEncoded();
  }
}
