// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.BoundedCache;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
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
 * <p>Read strictly, because the verifier reads them even from a PCK whose chain failed: the
 * extension is DER; it is a SEQUENCE of (OID, value) pairs, each OID directly under the SGX arc and
 * present at most once; the TCB is exactly its 18 entries (components 1 to 16, PCESVN, CPUSVN),
 * each once; component SVNs are 0..255, the PCESVN 0..65535; PPID and CPUSVN are 16 bytes, PCE-ID 2
 * and FMSPC 6. Other SGX entries (SGX type, platform instance, configuration) are not read.
 *
 * @param ppid platform provisioning id, hex (32 digits)
 * @param sgxTcbComponents the 16 SGX TCB component SVNs
 * @param pceSvn PCE security version
 * @param cpuSvn raw CPUSVN, hex (32 digits)
 * @param pceId PCE id, hex (4 digits)
 * @param fmspc family-model-stepping-platform-custom-SKU, hex (12 digits)
 */
public record PckExtensions(
    String ppid, int[] sgxTcbComponents, int pceSvn, String cpuSvn, String pceId, String fmspc) {
  static final String SGX_EXTENSIONS = "1.2.840.113741.1.13.1";
  private static final String PPID = SGX_EXTENSIONS + ".1";
  private static final String TCB = SGX_EXTENSIONS + ".2";
  private static final String PCE_ID = SGX_EXTENSIONS + ".3";
  private static final String FMSPC = SGX_EXTENSIONS + ".4";
  private static final String PCE_SVN = TCB + ".17";
  private static final String CPU_SVN = TCB + ".18";
  private static final int COMPONENTS = 16;
  private static final String ID = "tdx.pck.extension-malformed";
  private static final HexFormat HEX = HexFormat.of();

  /** Parsed extensions by the SHA-256 of their DER value (immutable records; successes only). */
  private static final BoundedCache<PckExtensions> PARSED = new BoundedCache<>(1024);

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
    byte[] der;
    try {
      der = ASN1OctetString.getInstance(ext).getOctets();
    } catch (IllegalArgumentException e) {
      throw new EvidenceException(ID, "the PCK certificate's SGX extension is not an OCTET STRING");
    }
    // A platform's PCK recurs in every quote: its extension is parsed once per distinct value
    // (only successes are kept, so malformed bytes are always parsed and refused).
    String key = BoundedCache.key(der);
    PckExtensions cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    PckExtensions parsed = parse(der);
    PARSED.put(key, parsed);
    return parsed;
  }

  /**
   * Parses the extension's value (the content of extnValue: the DER SEQUENCE of SGX entries).
   *
   * @throws EvidenceException {@code tdx.pck.extension-malformed} for anything but the profile
   */
  static PckExtensions parse(byte[] der) throws EvidenceException {
    ASN1Primitive value;
    try {
      value = ASN1Primitive.fromByteArray(der);
      // Bouncy Castle reads empty input as null, not as an error.
      if (value == null || !Arrays.equals(value.getEncoded(ASN1Encoding.DER), der)) {
        // One value, one encoding: BER variants of a signed extension are not accepted.
        throw new EvidenceException(ID, "the PCK's SGX extension is not DER");
      }
    } catch (IOException e) {
      throw new EvidenceException(ID, "the PCK's SGX extension is not valid DER");
    }
    Map<String, ASN1Encodable> top = entries(value, SGX_EXTENSIONS, "SGX extension");
    Map<String, ASN1Encodable> tcb = entries(required(top, TCB, "TCB"), TCB, "TCB");
    int[] components = new int[COMPONENTS];
    for (int i = 1; i <= COMPONENTS; i++) {
      components[i - 1] = svn(required(tcb, TCB + "." + i, "TCB component " + i), 8);
    }
    int pceSvn = svn(required(tcb, PCE_SVN, "PCESVN"), 16);
    String cpuSvn = octets(tcb, CPU_SVN, "CPUSVN", 16);
    if (tcb.size() != COMPONENTS + 2) {
      // Its keys are distinct, and the 18 of the profile are there: so there are others.
      throw new EvidenceException(
          ID,
          "the PCK's TCB has " + tcb.size() + " entries, not the profile's " + (COMPONENTS + 2));
    }
    return new PckExtensions(
        octets(top, PPID, "PPID", 16),
        components,
        pceSvn,
        cpuSvn,
        octets(top, PCE_ID, "PCE-ID", 2),
        octets(top, FMSPC, "FMSPC", 6));
  }

  /**
   * The (OID, value) pairs of a SEQUENCE by OID: each OID a direct child of {@code arc}, each once.
   */
  private static Map<String, ASN1Encodable> entries(ASN1Encodable seq, String arc, String what)
      throws EvidenceException {
    if (!(seq.toASN1Primitive() instanceof ASN1Sequence entries)) {
      throw new EvidenceException(ID, "the PCK's " + what + " is not a SEQUENCE");
    }
    Map<String, ASN1Encodable> out = new LinkedHashMap<>();
    for (ASN1Encodable e : entries) {
      if (!(e.toASN1Primitive() instanceof ASN1Sequence pair)
          || pair.size() != 2
          || !(pair.getObjectAt(0) instanceof ASN1ObjectIdentifier oid)) {
        throw new EvidenceException(ID, "an entry of the PCK's " + what + " is not (OID, value)");
      }
      String id = oid.getId();
      if (!id.startsWith(arc + ".") || id.indexOf('.', arc.length() + 1) >= 0) {
        throw new EvidenceException(ID, "the PCK's " + what + " has a foreign entry " + id);
      }
      if (out.put(id, pair.getObjectAt(1)) != null) {
        throw new EvidenceException(ID, "the PCK's " + what + " has " + id + " twice");
      }
    }
    return out;
  }

  private static ASN1Encodable required(Map<String, ASN1Encodable> m, String oid, String what)
      throws EvidenceException {
    ASN1Encodable v = m.get(oid);
    if (v == null) {
      throw new EvidenceException(ID, "the PCK certificate lacks its " + what);
    }
    return v;
  }

  private static String octets(Map<String, ASN1Encodable> m, String oid, String what, int length)
      throws EvidenceException {
    if (!(required(m, oid, what).toASN1Primitive() instanceof ASN1OctetString o)
        || o.getOctets().length != length) {
      throw new EvidenceException(
          ID, "the PCK's " + what + " is not an OCTET STRING of " + length + " bytes");
    }
    return HEX.formatHex(o.getOctets());
  }

  private static int svn(ASN1Encodable v, int bits) throws EvidenceException {
    if (!(v.toASN1Primitive() instanceof ASN1Integer i)) {
      throw new EvidenceException(ID, "a PCK TCB SVN is not an INTEGER");
    }
    BigInteger b = i.getValue();
    if (b.signum() < 0 || b.bitLength() > bits) {
      throw new EvidenceException(ID, "a PCK TCB SVN is not in 0.." + ((1 << bits) - 1));
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
        && Arrays.equals(p.sgxTcbComponents, sgxTcbComponents)
        && p.pceSvn == pceSvn
        && p.cpuSvn.equals(cpuSvn)
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
