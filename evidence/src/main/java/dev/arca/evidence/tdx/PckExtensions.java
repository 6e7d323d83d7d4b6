package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * The Intel SGX extensions of a PCK certificate (Intel "SGX PCK Certificate and Certificate
 * Revocation List Profile Specification", OID 1.2.840.113741.1.13.1): PPID, the TCB the PCK was
 * issued for (16 SGX TCB component SVNs, PCE SVN, CPUSVN), PCE-ID and FMSPC.
 *
 * @param ppid platform provisioning id, hex
 * @param sgxTcbComponents the 16 SGX TCB component SVNs
 * @param pceSvn PCE security version
 * @param cpuSvn raw CPUSVN, hex
 * @param pceId PCE id, hex (4 digits)
 * @param fmspc family-model-stepping-platform-custom-SKU, hex (12 digits)
 */
public record PckExtensions(
    String ppid, int[] sgxTcbComponents, int pceSvn, String cpuSvn, String pceId, String fmspc) {
  static final String SGX_EXTENSIONS = "1.2.840.113741.1.13.1";
  private static final String ID = "tdx.pck.extension-malformed";

  /**
   * Reads the extensions of a PCK certificate.
   *
   * @throws EvidenceException {@code tdx.pck.extension-malformed} when absent or malformed
   */
  static PckExtensions of(X509Certificate pck) throws EvidenceException {
    byte[] ext = pck.getExtensionValue(SGX_EXTENSIONS);
    if (ext == null) {
      throw new EvidenceException(ID, "the PCK certificate has no SGX extensions");
    }
    try {
      ASN1Sequence seq =
          ASN1Sequence.getInstance(
              ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
      String ppid = null;
      String pceId = null;
      String fmspc = null;
      String cpuSvn = null;
      int pceSvn = -1;
      int[] comps = new int[16];
      int found = 0;
      HexFormat hex = HexFormat.of();
      for (ASN1Encodable e : seq) {
        ASN1Sequence pair = ASN1Sequence.getInstance(e);
        String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
        ASN1Encodable value = pair.getObjectAt(1);
        switch (oid.substring(SGX_EXTENSIONS.length())) {
          case ".1" -> ppid = hex.formatHex(ASN1OctetString.getInstance(value).getOctets());
          case ".3" -> pceId = hex.formatHex(ASN1OctetString.getInstance(value).getOctets());
          case ".4" -> fmspc = hex.formatHex(ASN1OctetString.getInstance(value).getOctets());
          case ".2" -> {
            for (ASN1Encodable t : ASN1Sequence.getInstance(value)) {
              ASN1Sequence tp = ASN1Sequence.getInstance(t);
              String toid = ASN1ObjectIdentifier.getInstance(tp.getObjectAt(0)).getId();
              int n = Integer.parseInt(toid.substring(toid.lastIndexOf('.') + 1));
              ASN1Encodable tv = tp.getObjectAt(1);
              if (n >= 1 && n <= 16) {
                comps[n - 1] = smallInt(tv);
                found++;
              } else if (n == 17) {
                pceSvn = smallInt(tv);
              } else if (n == 18) {
                cpuSvn = hex.formatHex(ASN1OctetString.getInstance(tv).getOctets());
              }
            }
          }
          default -> {
            // other SGX extensions (PCE-ID dependent fields, platform flags) are not needed
          }
        }
      }
      if (ppid == null || pceId == null || fmspc == null || pceSvn < 0 || found != 16) {
        throw new EvidenceException(ID, "the PCK certificate lacks PPID, TCB, PCE-ID or FMSPC");
      }
      return new PckExtensions(ppid, comps, pceSvn, cpuSvn, pceId, fmspc);
    } catch (java.io.IOException | RuntimeException e) {
      // Bouncy Castle reports malformed structures with several runtime exceptions (short
      // sequences, wrong types, bad OIDs); every one of them is malformed evidence.
      throw new EvidenceException(ID, "the PCK certificate's SGX extensions are malformed");
    }
  }

  private static int smallInt(ASN1Encodable v) {
    java.math.BigInteger b = ASN1Integer.getInstance(v).getValue();
    if (b.signum() < 0 || b.bitLength() > 16) {
      throw new IllegalArgumentException("SVN out of range");
    }
    return b.intValue();
  }

  @Override
  public int[] sgxTcbComponents() {
    return sgxTcbComponents.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PckExtensions p
        && p.ppid.equals(ppid)
        && java.util.Arrays.equals(p.sgxTcbComponents, sgxTcbComponents)
        && p.pceSvn == pceSvn
        && p.pceId.equals(pceId)
        && p.fmspc.equals(fmspc);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(ppid, pceSvn, pceId, fmspc);
  }

  @Override
  public String toString() {
    return "PckExtensions[fmspc=" + fmspc + ", pceSvn=" + pceSvn + "]";
  }
}
