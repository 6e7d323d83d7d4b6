package dev.arca.evidence.sevsnp;

import dev.arca.evidence.EvidenceException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * The AMD extensions of a VCEK or VLEK certificate (AMD "Versioned Chip Endorsement Key (VCEK)
 * Certificate and KDS Interface Specification", table "VCEK Certificate Extensions"): the TCB SPLs
 * the key was derived for ({@code 1.3.6.1.4.1.3704.1.3.x}), the product name ({@code .1.2}) and,
 * for a VCEK, the chip's hardware id ({@code .1.4}).
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

  /** The extension's value (the content of extnValue), if present. */
  static Optional<ASN1Primitive> value(X509Certificate cert, String oid, String prefix)
      throws EvidenceException {
    byte[] ext = cert.getExtensionValue(oid);
    if (ext == null) {
      return Optional.empty();
    }
    try {
      byte[] inner = ASN1OctetString.getInstance(ext).getOctets();
      if (HW_ID.equals(oid)) {
        // hwID is the raw 64-byte chip id, not a DER value.
        return Optional.of(new org.bouncycastle.asn1.DEROctetString(inner));
      }
      return Optional.of(ASN1Primitive.fromByteArray(inner));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new EvidenceException(
          prefix + ".extension-malformed", "certificate extension " + oid + " is not valid DER");
    }
  }

  /** The chip id a VCEK was issued for, if it carries one. */
  static Optional<byte[]> hwId(X509Certificate cert, String prefix) throws EvidenceException {
    Optional<ASN1Primitive> v = value(cert, HW_ID, prefix);
    return v.map(p -> ((ASN1OctetString) p).getOctets());
  }

  /** An SPL extension's value, or -1 when absent. */
  static int spl(X509Certificate cert, String oid, String prefix) throws EvidenceException {
    Optional<ASN1Primitive> v = value(cert, oid, prefix);
    if (v.isEmpty()) {
      return -1;
    }
    if (!(v.get() instanceof ASN1Integer i)) {
      throw new EvidenceException(
          prefix + ".extension-malformed", "certificate extension " + oid + " is not an INTEGER");
    }
    BigInteger value = i.getValue();
    if (value.signum() < 0 || value.bitLength() > 8) {
      throw new EvidenceException(
          prefix + ".extension-malformed", "SPL extension " + oid + " is not in 0..255");
    }
    return value.intValue();
  }

  /** The product name extension, e.g. {@code Milan-B0}. */
  static Optional<String> productName(X509Certificate cert, String prefix)
      throws EvidenceException {
    Optional<ASN1Primitive> v = value(cert, PRODUCT_NAME, prefix);
    if (v.isPresent() && v.get() instanceof ASN1String s) {
      return Optional.of(s.getString());
    }
    return Optional.empty();
  }
}
