// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import dev.arca.evidence.EvidenceException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;

/**
 * Parses the DER {@code KeyDescription} of the Android key attestation extension (AOSP keystore
 * attestation schema, attestation versions 1 to 4 and KeyMint 100..400) with Bouncy Castle's ASN.1
 * classes. Lengths are checked by {@link DerBounds} first, so no length field causes a large
 * allocation.
 *
 * <p>Failure ids: {@code android.key-description.malformed}, {@code
 * android.key-description.truncated}, {@code android.key-description.length-too-large}.
 */
public final class KeyDescriptionParser {
  static final String PREFIX = "android.key-description";
  private static final String MALFORMED = PREFIX + ".malformed";

  /** The extension is a few hundred bytes; anything larger is not a key description. */
  public static final int MAX_BYTES = 64 * 1024;

  private KeyDescriptionParser() {}

  /**
   * Parses a KeyDescription (the contents of the extension's OCTET STRING).
   *
   * @throws EvidenceException with one of the ids above; never any other exception
   */
  public static KeyDescription parse(byte[] der) throws EvidenceException {
    if (der.length > MAX_BYTES) {
      throw new EvidenceException(
          PREFIX + ".length-too-large",
          "the key description is " + der.length + " bytes; at most " + MAX_BYTES);
    }
    DerBounds.check(der, PREFIX, MAX_BYTES);
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (seq.size() < 8) {
        throw malformed("KeyDescription has " + seq.size() + " fields; expected 8");
      }
      return new KeyDescription(
          intValue(seq.getObjectAt(0), "attestationVersion"),
          securityLevel(seq.getObjectAt(1), "attestationSecurityLevel"),
          intValue(seq.getObjectAt(2), "keymasterVersion"),
          securityLevel(seq.getObjectAt(3), "keymasterSecurityLevel"),
          octets(seq.getObjectAt(4), "attestationChallenge"),
          octets(seq.getObjectAt(5), "uniqueId"),
          authorizationList(seq.getObjectAt(6), "softwareEnforced"),
          authorizationList(seq.getObjectAt(7), "teeEnforced"));
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports wrong types as IllegalArgumentException / ClassCastException.
      throw new EvidenceException(MALFORMED, "the key description is not valid: " + e.getMessage());
    }
  }

  /**
   * Parses the DER {@code AttestationApplicationId} carried in AuthorizationList tag 709.
   *
   * @throws EvidenceException {@code android.key-description.*} when it is not valid
   */
  public static AttestationApplicationId parseApplicationId(byte[] der) throws EvidenceException {
    DerBounds.check(der, PREFIX, MAX_BYTES);
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (seq.size() != 2) {
        throw malformed("AttestationApplicationId must have 2 fields");
      }
      List<AttestationApplicationId.Package> packages = new ArrayList<>();
      for (ASN1Encodable e : ASN1Set.getInstance(seq.getObjectAt(0))) {
        ASN1Sequence p = ASN1Sequence.getInstance(e);
        if (p.size() != 2) {
          throw malformed("AttestationPackageInfo must have 2 fields");
        }
        packages.add(
            new AttestationApplicationId.Package(
                new String(octets(p.getObjectAt(0), "package_name"), StandardCharsets.UTF_8),
                longValue(p.getObjectAt(1), "version")));
      }
      List<String> digests = new ArrayList<>();
      for (ASN1Encodable e : ASN1Set.getInstance(seq.getObjectAt(1))) {
        digests.add(HexFormat.of().formatHex(octets(e, "signature_digest")));
      }
      return new AttestationApplicationId(packages, digests);
    } catch (IOException | RuntimeException e) {
      throw new EvidenceException(
          MALFORMED, "the attestation application id is not valid: " + e.getMessage());
    }
  }

  private static AuthorizationList authorizationList(ASN1Encodable e, String name)
      throws EvidenceException {
    ASN1Sequence seq = sequence(e, name);
    AuthorizationList.Builder b = new AuthorizationList.Builder();
    int previous = -1;
    for (ASN1Encodable item : seq) {
      if (!(item instanceof ASN1TaggedObject t) || t.getTagClass() != BERTags.CONTEXT_SPECIFIC) {
        throw malformed(name + " holds an untagged element");
      }
      int tag = t.getTagNo();
      // The schema lists the tags in ascending order (DER SEQUENCE with unique tags); a repeated
      // tag would let an attacker hide a second value behind the first.
      if (tag <= previous) {
        throw malformed(name + " repeats or reorders tag " + tag);
      }
      previous = tag;
      ASN1Encodable v = t.getExplicitBaseObject();
      switch (tag) {
        case 1 -> b.purposes = longSet(v, "purpose");
        case 2 -> b.algorithm = longValue(v, "algorithm");
        case 3 -> b.keySize = longValue(v, "keySize");
        case 5 -> b.digests = longSet(v, "digest");
        case 10 -> b.ecCurve = longValue(v, "ecCurve");
        case 701 -> b.creationDateTime = longValue(v, "creationDateTime");
        case 702 -> b.origin = longValue(v, "origin");
        case 704 -> b.rootOfTrust = rootOfTrust(v);
        case 705 -> b.osVersion = longValue(v, "osVersion");
        case 706 -> b.osPatchLevel = longValue(v, "osPatchLevel");
        case 709 ->
            b.attestationApplicationId = parseApplicationId(octets(v, "attestationApplicationId"));
        case 718 -> b.vendorPatchLevel = longValue(v, "vendorPatchLevel");
        case 719 -> b.bootPatchLevel = longValue(v, "bootPatchLevel");
        case 710, 711, 712, 713, 714, 715, 716, 717 -> {
          String id = AttestedDeviceIds.TAGS.get(tag);
          b.attestedIds.put(id, utf8(octets(v, id), id));
        }
        default -> b.otherTags.put(tag, hexDer(v));
      }
    }
    return b.build();
  }

  private static RootOfTrust rootOfTrust(ASN1Encodable e) throws EvidenceException {
    ASN1Sequence seq = sequence(e, "rootOfTrust");
    if (seq.size() < 3) {
      throw malformed("RootOfTrust has " + seq.size() + " fields; expected 3 or 4");
    }
    ASN1Encodable locked = seq.getObjectAt(1);
    if (!(locked instanceof ASN1Boolean lockedFlag)) {
      throw malformed("RootOfTrust.deviceLocked is not a BOOLEAN");
    }
    int stateValue = enumValue(seq.getObjectAt(2), "verifiedBootState");
    VerifiedBootState state = VerifiedBootState.of(stateValue);
    if (state == null) {
      throw malformed("unknown verifiedBootState " + stateValue);
    }
    byte[] hash = seq.size() > 3 ? octets(seq.getObjectAt(3), "verifiedBootHash") : new byte[0];
    return new RootOfTrust(
        octets(seq.getObjectAt(0), "verifiedBootKey"), lockedFlag.isTrue(), state, hash);
  }

  private static SecurityLevel securityLevel(ASN1Encodable e, String name)
      throws EvidenceException {
    int v = enumValue(e, name);
    SecurityLevel level = SecurityLevel.of(v);
    if (level == null) {
      throw malformed("unknown " + name + " " + v);
    }
    return level;
  }

  private static ASN1Sequence sequence(ASN1Encodable e, String name) throws EvidenceException {
    if (!(e instanceof ASN1Sequence s)) {
      throw malformed(name + " is not a SEQUENCE");
    }
    return s;
  }

  private static byte[] octets(ASN1Encodable e, String name) throws EvidenceException {
    if (!(e instanceof ASN1OctetString s)) {
      throw malformed(name + " is not an OCTET STRING");
    }
    return s.getOctets();
  }

  /** Strict UTF-8: an identifier that does not decode is not silently altered. */
  private static String utf8(byte[] b, String name) throws EvidenceException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("attested " + name + " is not UTF-8");
    }
  }

  private static int enumValue(ASN1Encodable e, String name) throws EvidenceException {
    if (!(e instanceof ASN1Enumerated en)) {
      throw malformed(name + " is not an ENUMERATED");
    }
    return toInt(en.getValue(), name);
  }

  private static int intValue(ASN1Encodable e, String name) throws EvidenceException {
    return toInt(BigInteger.valueOf(longValue(e, name)), name);
  }

  private static long longValue(ASN1Encodable e, String name) throws EvidenceException {
    if (!(e instanceof ASN1Integer i)) {
      throw malformed(name + " is not an INTEGER");
    }
    BigInteger v = i.getValue();
    if (v.bitLength() > 63) {
      throw malformed(name + " does not fit in 64 bits");
    }
    return v.longValueExact();
  }

  private static List<Long> longSet(ASN1Encodable e, String name) throws EvidenceException {
    if (!(e instanceof ASN1Set set)) {
      throw malformed(name + " is not a SET OF INTEGER");
    }
    List<Long> out = new ArrayList<>();
    for (ASN1Encodable v : set) {
      out.add(longValue(v, name));
    }
    return out;
  }

  private static int toInt(BigInteger v, String name) throws EvidenceException {
    if (v.bitLength() > 31) {
      throw malformed(name + " does not fit in 32 bits");
    }
    return v.intValueExact();
  }

  private static String hexDer(ASN1Encodable v) throws EvidenceException {
    try {
      return HexFormat.of().formatHex(v.toASN1Primitive().getEncoded("DER"));
    } catch (IOException e) {
      throw malformed("a tag cannot be re-encoded");
    }
  }

  private static EvidenceException malformed(String message) {
    return new EvidenceException(MALFORMED, message);
  }
}
