// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import dev.arca.evidence.EvidenceException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * The AMD extensions of a VCEK or VLEK certificate (AMD "Versioned Chip Endorsement Key (VCEK)
 * Certificate and KDS Interface Specification", table "VCEK Certificate Extensions"): the TCB SPLs
 * the key was derived for ({@code 1.3.6.1.4.1.3704.1.3.x}), the product name ({@code .1.2}) and,
 * for a VCEK, the chip's hardware id ({@code .1.4}).
 *
 * <p>Read strictly: an SPL is a DER INTEGER in 0..255 and the product name a DER IA5String; any
 * other encoding or type of a present extension fails {@code <prefix>.extension-malformed}.
 */
final class VcekExtensions {
  static final String PRODUCT_NAME = "1.3.6.1.4.1.3704.1.2";
  static final String BL_SPL = "1.3.6.1.4.1.3704.1.3.1";
  static final String TEE_SPL = "1.3.6.1.4.1.3704.1.3.2";
  static final String SNP_SPL = "1.3.6.1.4.1.3704.1.3.3";
  static final String UCODE_SPL = "1.3.6.1.4.1.3704.1.3.8";
  static final String FMC_SPL = "1.3.6.1.4.1.3704.1.3.9";
  static final String HW_ID = "1.3.6.1.4.1.3704.1.4";

  private VcekExtensions() {}

  /** The chip id a VCEK was issued for (the raw octets of hwID, not a DER value), if present. */
  static Optional<byte[]> hwId(X509Certificate cert, String prefix) throws EvidenceException {
    return content(cert, HW_ID, prefix);
  }

  /** An SPL extension's value, or -1 when absent. */
  static int spl(X509Certificate cert, String oid, String prefix) throws EvidenceException {
    Optional<byte[]> content = content(cert, oid, prefix);
    return content.isEmpty() ? -1 : spl(content.get(), oid, prefix);
  }

  /** The product name extension, e.g. {@code Milan-B0}, if present. */
  static Optional<String> productName(X509Certificate cert, String prefix)
      throws EvidenceException {
    Optional<byte[]> content = content(cert, PRODUCT_NAME, prefix);
    return content.isEmpty() ? Optional.empty() : Optional.of(productName(content.get(), prefix));
  }

  /**
   * An SPL from the content of its extnValue: a DER INTEGER in 0..255.
   *
   * @throws EvidenceException {@code <prefix>.extension-malformed} otherwise
   */
  static int spl(byte[] content, String oid, String prefix) throws EvidenceException {
    if (!(der(content, oid, prefix) instanceof ASN1Integer i)) {
      throw malformed(prefix, oid, "is not an INTEGER");
    }
    BigInteger value = i.getValue();
    if (value.signum() < 0 || value.bitLength() > 8) {
      throw malformed(prefix, oid, "is not in 0..255");
    }
    return value.intValue();
  }

  /**
   * The product name from the content of its extnValue: a DER IA5String. A name of another type is
   * refused rather than read as absent, which would fall back to the issuer's name.
   *
   * @throws EvidenceException {@code <prefix>.extension-malformed} otherwise
   */
  static String productName(byte[] content, String prefix) throws EvidenceException {
    if (!(der(content, PRODUCT_NAME, prefix) instanceof ASN1IA5String s)
        || !ASN1IA5String.isIA5String(s.getString())) {
      throw malformed(prefix, PRODUCT_NAME, "is not an IA5String");
    }
    return s.getString();
  }

  /** The content of the extension's extnValue, if the certificate has the extension. */
  private static Optional<byte[]> content(X509Certificate cert, String oid, String prefix)
      throws EvidenceException {
    byte[] ext = cert.getExtensionValue(oid);
    if (ext == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ASN1OctetString.getInstance(ext).getOctets());
    } catch (IllegalArgumentException e) {
      throw malformed(prefix, oid, "is not an OCTET STRING");
    }
  }

  /** Exactly one DER value: a BER variant would let a signed value be re-encoded. */
  private static ASN1Primitive der(byte[] content, String oid, String prefix)
      throws EvidenceException {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(content);
      // Bouncy Castle reads empty input as null, not as an error.
      if (p != null && Arrays.equals(p.getEncoded(ASN1Encoding.DER), content)) {
        return p;
      }
    } catch (IOException e) {
      // not DER at all; refused below like any other encoding
    }
    throw malformed(prefix, oid, "is not one DER value");
  }

  private static EvidenceException malformed(String prefix, String oid, String problem) {
    return new EvidenceException(
        prefix + ".extension-malformed", "certificate extension " + oid + " " + problem);
  }
}
