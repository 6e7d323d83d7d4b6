// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.CertificateChains;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Which VCEK a report needs: the chip and the TCB it was derived for. One chip has one VCEK per
 * reported TCB, so this pair selects it, exactly as AMD's key server names a VCEK and {@link
 * VcekCache#pathFor} lays out its directory. A collateral store files a VCEK under {@link
 * #ofCertificate} and finds it for evidence with {@link #ofReport}; the two agree for the VCEK that
 * signed the report. Selecting by this key is no trust decision: the verifier still checks the
 * hwID, the TCB and the chain of whatever certificate it is given.
 *
 * @param chipIdHex the 64-byte CHIP_ID as 128 lower-case hex digits
 * @param reportedTcbHex the 8-byte TCB_VERSION as 16 lower-case hex digits, in report byte order
 */
public record VcekKey(String chipIdHex, String reportedTcbHex) {
  private static final HexFormat HEX = HexFormat.of();
  private static final String PREFIX = "sevsnp.vcek";

  /**
   * @throws IllegalArgumentException unless both are lower-case hex of the right length
   */
  public VcekKey {
    Objects.requireNonNull(chipIdHex, "chipIdHex");
    Objects.requireNonNull(reportedTcbHex, "reportedTcbHex");
    if (!chipIdHex.matches("[0-9a-f]{128}") || !reportedTcbHex.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException(
          "a VCEK key is a 128-digit chip id and a 16-digit TCB, lower-case hex");
    }
  }

  /**
   * The key of the VCEK that signs {@code report}: its CHIP_ID and REPORTED_TCB. The TCB bytes are
   * the same whatever the product's layout, so the report need not name its product.
   *
   * @throws EvidenceException as {@link AttestationReport#parse} when the report does not parse
   */
  public static VcekKey ofReport(byte[] report) throws EvidenceException {
    AttestationReport r = AttestationReport.parse(report);
    return new VcekKey(
        HEX.formatHex(r.chipId()), TcbVersion.decode(r.reportedTcb(), Product.MILAN).hex());
  }

  /**
   * The key a VCEK certificate (DER or PEM; the first certificate when several) was issued for: its
   * hwID extension and the TCB_VERSION encoded from its SPL extensions in its product's layout
   * (Milan and Genoa: boot loader, TEE, four reserved bytes, SNP, microcode; Turin: FMC, boot
   * loader, TEE, SNP, three reserved bytes, microcode).
   *
   * @throws EvidenceException {@code sevsnp.vcek.chain.malformed} when no certificate parses;
   *     {@code sevsnp.vcek.extension-malformed} for a malformed AMD extension; {@code
   *     sevsnp.vcek.no-hwid} for a certificate without hwID (a VLEK, or no AMD certificate); {@code
   *     sevsnp.vcek.unknown-product} when it names no product Arca knows; {@code
   *     sevsnp.vcek.no-tcb} when an SPL the product's TCB needs is absent
   */
  public static VcekKey ofCertificate(byte[] derOrPem) throws EvidenceException {
    X509Certificate cert = CertificateChains.parse(derOrPem, PREFIX).get(0);
    byte[] hwId =
        VcekExtensions.hwId(cert, PREFIX)
            .orElseThrow(
                () ->
                    new EvidenceException(
                        PREFIX + ".no-hwid",
                        "the certificate has no hwID extension (1.3.6.1.4.1.3704.1.4): it is no"
                            + " VCEK (a VLEK is not issued per chip)"));
    if (hwId.length != 64) {
      throw new EvidenceException(
          PREFIX + ".extension-malformed",
          "the hwID extension has " + hwId.length + " bytes, not a 64-byte chip id");
    }
    Product product = productOf(cert);
    int bootLoader = requiredSpl(cert, VcekExtensions.BL_SPL, "boot loader");
    int tee = requiredSpl(cert, VcekExtensions.TEE_SPL, "TEE");
    int snp = requiredSpl(cert, VcekExtensions.SNP_SPL, "SNP");
    int microcode = requiredSpl(cert, VcekExtensions.UCODE_SPL, "microcode");
    int[] bytes = new int[8];
    if (product.hasFmc()) {
      bytes[0] = requiredSpl(cert, VcekExtensions.FMC_SPL, "FMC");
      bytes[1] = bootLoader;
      bytes[2] = tee;
      bytes[3] = snp;
    } else {
      bytes[0] = bootLoader;
      bytes[1] = tee;
      bytes[6] = snp;
    }
    bytes[7] = microcode;
    long raw = 0;
    for (int i = 0; i < 8; i++) {
      raw |= ((long) bytes[i]) << (8 * i);
    }
    return new VcekKey(HEX.formatHex(hwId), TcbVersion.decode(raw, product).hex());
  }

  /**
   * The product line of an AMD certificate: from its product-name extension, else from its issuer's
   * or subject's name ({@code SEV-Milan}, {@code ARK-Genoa}).
   *
   * @throws EvidenceException {@code sevsnp.vcek.unknown-product} when none names a known product
   */
  public static Product productOf(X509Certificate cert) throws EvidenceException {
    Optional<Product> p = VcekExtensions.productName(cert, PREFIX).flatMap(Product::fromName);
    p = p.or(() -> Product.fromName(cert.getIssuerX500Principal().getName()));
    p = p.or(() -> Product.fromName(cert.getSubjectX500Principal().getName()));
    return p.orElseThrow(
        () ->
            new EvidenceException(
                PREFIX + ".unknown-product",
                "the certificate names no known product (Milan, Genoa, Turin)"));
  }

  private static int requiredSpl(X509Certificate cert, String oid, String what)
      throws EvidenceException {
    int spl = VcekExtensions.spl(cert, oid, PREFIX);
    if (spl < 0) {
      throw new EvidenceException(
          PREFIX + ".no-tcb",
          "the certificate lacks the " + what + " SPL extension (" + oid + ") its TCB needs");
    }
    return spl;
  }

  /** The key as one path-like string, {@code <chip id>/<tcb>}. */
  @Override
  public String toString() {
    return chipIdHex + "/" + reportedTcbHex;
  }
}
