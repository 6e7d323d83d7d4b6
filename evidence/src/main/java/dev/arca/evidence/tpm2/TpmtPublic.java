// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A parsed TPMT_PUBLIC (TPM 2.0 Part 2 §12.2.4) of an RSA or ECC key: an attestation key or an
 * endorsement key. Immutable; keeps the exact bytes, from which the TPM Name is computed.
 *
 * <p>Failure ids: {@code tpm2.public.unsupported-type} (not RSA or ECC), {@code
 * tpm2.public.unsupported-name-alg}, {@code tpm2.public.unsupported-curve}, {@code
 * tpm2.public.invalid-key} (modulus or point unusable), {@code tpm2.public.truncated}, {@code
 * tpm2.public.length-too-large}, {@code tpm2.public.trailing-bytes}.
 */
public final class TpmtPublic {
  /** TPMA_OBJECT bits (Part 2 §8.3). */
  public static final int FIXED_TPM = 1 << 1;

  public static final int FIXED_PARENT = 1 << 4;
  public static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
  public static final int RESTRICTED = 1 << 16;
  public static final int DECRYPT = 1 << 17;
  public static final int SIGN = 1 << 18;

  private final byte[] encoded;
  private final int type;
  private final int nameAlg;
  private final int attributes;
  private final int symmetricAlg;
  private final int symmetricKeyBits;
  private final int symmetricMode;
  private final int schemeAlg;
  private final int schemeHash;
  private final int rsaKeyBits;
  private final long rsaExponent;
  private final int curve;
  private final byte[] rsaModulus;
  private final byte[] eccX;
  private final byte[] eccY;
  private volatile AsymmetricKeyParameter keyParameters;

  private TpmtPublic(Builder b) {
    this.encoded = b.encoded;
    this.type = b.type;
    this.nameAlg = b.nameAlg;
    this.attributes = b.attributes;
    this.symmetricAlg = b.symmetricAlg;
    this.symmetricKeyBits = b.symmetricKeyBits;
    this.symmetricMode = b.symmetricMode;
    this.schemeAlg = b.schemeAlg;
    this.schemeHash = b.schemeHash;
    this.rsaKeyBits = b.rsaKeyBits;
    this.rsaExponent = b.rsaExponent;
    this.curve = b.curve;
    this.rsaModulus = b.rsaModulus;
    this.eccX = b.eccX;
    this.eccY = b.eccY;
  }

  /**
   * Parses a TPMT_PUBLIC (no TPM2B size prefix).
   *
   * @throws EvidenceException with the ids above
   */
  public static TpmtPublic parse(byte[] data) throws EvidenceException {
    Builder b = new Builder();
    b.encoded = data.clone();
    StructReader r = new StructReader(b.encoded, ByteOrder.BIG_ENDIAN, "tpm2.public");
    b.type = r.u16();
    if (b.type != TpmAlg.RSA && b.type != TpmAlg.ECC) {
      throw new EvidenceException(
          "tpm2.public.unsupported-type",
          "the key type " + TpmAlg.name(b.type) + " is not RSA or ECC");
    }
    b.nameAlg = r.u16();
    if (TpmAlg.digestSize(b.nameAlg) < 0) {
      throw new EvidenceException(
          "tpm2.public.unsupported-name-alg",
          "the key's name algorithm " + TpmAlg.name(b.nameAlg) + " is not SHA-1/256/384/512");
    }
    b.attributes = (int) r.u32();
    r.sized16(64, "authPolicy");
    b.symmetricAlg = r.u16();
    if (b.symmetricAlg != TpmAlg.NULL) {
      b.symmetricKeyBits = r.u16();
      b.symmetricMode = r.u16();
    }
    b.schemeAlg = r.u16();
    if (b.type == TpmAlg.RSA) {
      if (b.schemeAlg != TpmAlg.NULL && b.schemeAlg != TpmAlg.RSAES) {
        b.schemeHash = r.u16();
      }
      b.rsaKeyBits = r.u16();
      b.rsaExponent = r.u32();
      b.rsaModulus = r.sized16(512, "RSA modulus");
      if (b.rsaModulus.length == 0 || b.rsaModulus.length * 8 != b.rsaKeyBits) {
        throw new EvidenceException(
            "tpm2.public.invalid-key",
            "the RSA modulus has "
                + b.rsaModulus.length * 8
                + " bits but the key says "
                + b.rsaKeyBits);
      }
    } else {
      if (b.schemeAlg != TpmAlg.NULL) {
        b.schemeHash = r.u16();
        if (b.schemeAlg == TpmAlg.ECDAA) {
          r.u16(); // count
        }
      }
      b.curve = r.u16();
      if (TpmAlg.curveName(b.curve) == null) {
        throw new EvidenceException(
            "tpm2.public.unsupported-curve",
            String.format("ECC curve 0x%04x is not NIST P-256, P-384 or P-521", b.curve));
      }
      int kdf = r.u16();
      if (kdf != TpmAlg.NULL) {
        r.u16(); // the KDF's hash
      }
      b.eccX = r.sized16(66, "ECC x");
      b.eccY = r.sized16(66, "ECC y");
    }
    r.expectEnd("TPMT_PUBLIC");
    TpmtPublic p = new TpmtPublic(b);
    p.keyParameters(); // rejects a point off the curve or an unusable modulus now
    return p;
  }

  /** The exact bytes parsed. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** TPM_ALG_RSA or TPM_ALG_ECC. */
  public int type() {
    return type;
  }

  public int nameAlg() {
    return nameAlg;
  }

  /** TPMA_OBJECT bits. */
  public int attributes() {
    return attributes;
  }

  /** True when the key signs only TPM-generated structures (restricted, sign, fixedTPM). */
  public boolean isRestrictedSigningKey() {
    return (attributes & (RESTRICTED | SIGN | FIXED_TPM)) == (RESTRICTED | SIGN | FIXED_TPM)
        && (attributes & DECRYPT) == 0;
  }

  /** The parent-protection symmetric algorithm (TPM_ALG_AES for an EK) or TPM_ALG_NULL. */
  public int symmetricAlg() {
    return symmetricAlg;
  }

  public int symmetricKeyBits() {
    return symmetricKeyBits;
  }

  public int symmetricMode() {
    return symmetricMode;
  }

  /** The key's scheme (e.g. TPM_ALG_RSASSA, TPM_ALG_ECDSA) or TPM_ALG_NULL. */
  public int schemeAlg() {
    return schemeAlg;
  }

  /** The scheme's hash, 0 when the scheme has none. */
  public int schemeHash() {
    return schemeHash;
  }

  /** TPM_ECC_CURVE of an ECC key, 0 for RSA. */
  public int curve() {
    return curve;
  }

  /** RSA key size in bits, 0 for ECC. */
  public int rsaKeyBits() {
    return rsaKeyBits;
  }

  /** The TPM Name: nameAlg (2 bytes, big-endian) || H_nameAlg(TPMT_PUBLIC) (Part 1 §16). */
  public byte[] name() {
    byte[] digest = TpmAlg.hash(nameAlg, encoded);
    byte[] name = new byte[2 + digest.length];
    name[0] = (byte) (nameAlg >> 8);
    name[1] = (byte) nameAlg;
    System.arraycopy(digest, 0, name, 2, digest.length);
    return name;
  }

  /** The Name in lower-case hex. */
  public String nameHex() {
    return HexFormat.of().formatHex(name());
  }

  /** The public key as Bouncy Castle lightweight parameters (fast verification). */
  AsymmetricKeyParameter keyParameters() throws EvidenceException {
    AsymmetricKeyParameter k = keyParameters;
    if (k == null) {
      k = computeKeyParameters();
      keyParameters = k; // benign race: every thread computes the same immutable value
    }
    return k;
  }

  private AsymmetricKeyParameter computeKeyParameters() throws EvidenceException {
    if (type == TpmAlg.RSA) {
      BigInteger n = new BigInteger(1, rsaModulus);
      if (!n.testBit(0) || n.bitLength() < 1024) {
        throw new EvidenceException(
            "tpm2.public.invalid-key", "the RSA modulus is even or shorter than 1024 bits");
      }
      try {
        return new RSAKeyParameters(false, n, exponent());
      } catch (IllegalArgumentException e) {
        throw new EvidenceException(
            "tpm2.public.invalid-key",
            "the RSA modulus or exponent is unusable: " + e.getMessage());
      }
    }
    ECDomainParameters domain = Curves.domain(curve);
    try {
      ECPoint q =
          domain
              .getCurve()
              .validatePoint(new BigInteger(1, eccX), new BigInteger(1, eccY))
              .normalize();
      return new ECPublicKeyParameters(q, domain);
    } catch (IllegalArgumentException e) {
      throw new EvidenceException(
          "tpm2.public.invalid-key", "the ECC public point is not on the curve");
    }
  }

  /**
   * Domain parameters per TPM curve, built once from Bouncy Castle's optimized curve
   * implementations, so verifications share the curve and the generator's precomputation.
   */
  private static final class Curves {
    private static final ECDomainParameters P256 = load("P-256");
    private static final ECDomainParameters P384 = load("P-384");
    private static final ECDomainParameters P521 = load("P-521");

    static ECDomainParameters domain(int curve) {
      return switch (curve) {
        case TpmAlg.ECC_NIST_P256 -> P256;
        case TpmAlg.ECC_NIST_P384 -> P384;
        default -> P521;
      };
    }

    private static ECDomainParameters load(String name) {
      X9ECParameters x9 = CustomNamedCurves.getByName(name);
      if (x9 == null) {
        x9 = ECNamedCurveTable.getByName(name);
      }
      return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }
  }

  /**
   * Whether {@code key} (a JCA RSA or EC public key, e.g. an enrolled AK) is this key: same modulus
   * and exponent, or same curve size and point. Cheaper than {@link #toPublicKey()}.
   */
  public boolean sameKeyAs(PublicKey key) {
    try {
      if (type == TpmAlg.RSA && key instanceof java.security.interfaces.RSAPublicKey k) {
        RSAKeyParameters p = (RSAKeyParameters) keyParameters();
        return k.getModulus().equals(p.getModulus())
            && k.getPublicExponent().equals(p.getExponent());
      }
      if (type == TpmAlg.ECC && key instanceof java.security.interfaces.ECPublicKey k) {
        ECPublicKeyParameters p = (ECPublicKeyParameters) keyParameters();
        return k.getParams().getCurve().getField().getFieldSize()
                == p.getParameters().getCurve().getFieldSize()
            && k.getW().getAffineX().equals(p.getQ().getAffineXCoord().toBigInteger())
            && k.getW().getAffineY().equals(p.getQ().getAffineYCoord().toBigInteger());
      }
      return false;
    } catch (EvidenceException e) {
      return false;
    }
  }

  /** The ECC point coordinates (unpadded, as the TPM gave them); empty for RSA. */
  byte[] eccX() {
    return eccX == null ? new byte[0] : eccX.clone();
  }

  byte[] eccY() {
    return eccY == null ? new byte[0] : eccY.clone();
  }

  /**
   * The public key as a JCA key (X.509 SubjectPublicKeyInfo via {@link PublicKey#getEncoded()}),
   * for enrolment records and {@code VerificationContext.trustedKey}.
   */
  public PublicKey toPublicKey() throws EvidenceException {
    try {
      if (type == TpmAlg.RSA) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(new BigInteger(1, rsaModulus), exponent()));
      }
      ECPublicKeyParameters p = (ECPublicKeyParameters) keyParameters();
      java.security.AlgorithmParameters params =
          java.security.AlgorithmParameters.getInstance("EC");
      params.init(new java.security.spec.ECGenParameterSpec(jcaCurve()));
      java.security.spec.ECParameterSpec spec =
          params.getParameterSpec(java.security.spec.ECParameterSpec.class);
      java.security.spec.ECPoint w =
          new java.security.spec.ECPoint(
              p.getQ().getAffineXCoord().toBigInteger(), p.getQ().getAffineYCoord().toBigInteger());
      return KeyFactory.getInstance("EC")
          .generatePublic(new java.security.spec.ECPublicKeySpec(w, spec));
    } catch (GeneralSecurityException e) {
      throw new EvidenceException(
          "tpm2.public.invalid-key", "the key cannot be used as a Java public key", e);
    }
  }

  private String jcaCurve() {
    return switch (curve) {
      case TpmAlg.ECC_NIST_P256 -> "secp256r1";
      case TpmAlg.ECC_NIST_P384 -> "secp384r1";
      default -> "secp521r1";
    };
  }

  private BigInteger exponent() {
    return BigInteger.valueOf(rsaExponent == 0 ? 65537 : rsaExponent);
  }

  @Override
  public String toString() {
    return "TpmtPublic[" + TpmAlg.name(type) + ", name=" + nameHex() + "]";
  }

  private static final class Builder {
    byte[] encoded;
    int type;
    int nameAlg;
    int attributes;
    int symmetricAlg;
    int symmetricKeyBits;
    int symmetricMode;
    int schemeAlg;
    int schemeHash;
    int rsaKeyBits;
    long rsaExponent;
    int curve;
    byte[] rsaModulus;
    byte[] eccX;
    byte[] eccY;
  }
}
