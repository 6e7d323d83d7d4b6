// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import dev.arca.evidence.cbor.CborEncoder;
import dev.arca.evidence.cbor.CborValue;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.EcKeys;
import dev.arca.evidence.cose.TestCoseSigner;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-signed Arm tokens (PSA profile 2.0.0, CCA platform + realm) for the service's fresh-nonce
 * flows, which no captured vector can answer. Signed with evidence's {@link TestCoseSigner}.
 */
public final class ArmTokens {
  /** PSA lifecycle "secured". */
  public static final int SECURED = 0x3000;

  /** PSA lifecycle "recoverable PSA RoT debug": the verifiers report debug. */
  public static final int DEBUG = 0x5000;

  private ArmTokens() {}

  /** The PSA instance id of {@code key}: {@code 0x01 || SHA-256(uncompressed point)}. */
  public static byte[] psaInstanceId(KeyPair key) throws Exception {
    byte[] h =
        MessageDigest.getInstance("SHA-256")
            .digest(EcKeys.uncompressedPoint((ECPublicKey) key.getPublic()));
    byte[] id = new byte[h.length + 1];
    id[0] = 0x01;
    System.arraycopy(h, 0, id, 1, h.length);
    return id;
  }

  /** A PSA 2.0.0 token signed by {@code iak} (ES256), binding {@code nonce}, measuring BL. */
  public static byte[] psa(KeyPair iak, int lifecycle, byte[] nonce, byte[] bl) throws Exception {
    Map<CborValue, CborValue> m = new LinkedHashMap<>();
    m.put(CborValue.Int.of(265), new CborValue.Text("http://arm.com/psa/2.0.0"));
    m.put(CborValue.Int.of(10), new CborValue.Bytes(nonce));
    m.put(CborValue.Int.of(256), new CborValue.Bytes(psaInstanceId(iak)));
    m.put(CborValue.Int.of(2396), new CborValue.Bytes(new byte[32]));
    m.put(CborValue.Int.of(2395), CborValue.Int.of(lifecycle));
    m.put(CborValue.Int.of(2394), CborValue.Int.of(1));
    m.put(CborValue.Int.of(2399), new CborValue.Array(List.of(component(bl))));
    return TestCoseSigner.sign(
        CborEncoder.encode(new CborValue.MapValue(m)), CoseAlgorithm.ES256, iak.getPrivate(), true);
  }

  /**
   * A CCA token: a platform token (instance id {@code instanceId}, signed by {@code platform})
   * bound to a realm token (signed by a fresh RAK) whose challenge is {@code reportData} padded
   * with zeros to 64 bytes and whose initial measurement is {@code rim}.
   */
  public static byte[] cca(
      KeyPair platform, byte[] instanceId, int lifecycle, byte[] reportData, byte[] rim)
      throws Exception {
    KeyPair rak = TestCoseSigner.generate(CoseAlgorithm.ES384);
    byte[] rakPoint = EcKeys.uncompressedPoint((ECPublicKey) rak.getPublic());
    byte[] rem = new byte[32];
    Map<CborValue, CborValue> r = new LinkedHashMap<>();
    r.put(CborValue.Int.of(10), new CborValue.Bytes(Arrays.copyOf(reportData, 64)));
    r.put(CborValue.Int.of(44235), new CborValue.Bytes(new byte[64]));
    r.put(CborValue.Int.of(44236), new CborValue.Text("sha-256"));
    r.put(CborValue.Int.of(44237), new CborValue.Bytes(rakPoint));
    r.put(CborValue.Int.of(44238), new CborValue.Bytes(rim));
    r.put(
        CborValue.Int.of(44239),
        new CborValue.Array(
            List.of(
                new CborValue.Bytes(rem),
                new CborValue.Bytes(rem),
                new CborValue.Bytes(rem),
                new CborValue.Bytes(rem))));
    r.put(CborValue.Int.of(44240), new CborValue.Text("sha-256"));
    Map<CborValue, CborValue> p = new LinkedHashMap<>();
    p.put(CborValue.Int.of(265), new CborValue.Text("http://arm.com/CCA-SSD/1.0.0"));
    p.put(
        CborValue.Int.of(10),
        new CborValue.Bytes(MessageDigest.getInstance("SHA-256").digest(rakPoint)));
    p.put(CborValue.Int.of(256), new CborValue.Bytes(instanceId));
    p.put(CborValue.Int.of(2396), new CborValue.Bytes(new byte[32]));
    p.put(CborValue.Int.of(2395), CborValue.Int.of(lifecycle));
    p.put(CborValue.Int.of(2399), new CborValue.Array(List.of(component(new byte[32]))));
    byte[] realmToken =
        TestCoseSigner.sign(
            CborEncoder.encode(new CborValue.MapValue(r)),
            CoseAlgorithm.ES384,
            rak.getPrivate(),
            true);
    byte[] platformToken =
        TestCoseSigner.sign(
            CborEncoder.encode(new CborValue.MapValue(p)),
            CoseAlgorithm.ES384,
            platform.getPrivate(),
            true);
    Map<CborValue, CborValue> outer = new LinkedHashMap<>();
    outer.put(CborValue.Int.of(44234), new CborValue.Bytes(platformToken));
    outer.put(CborValue.Int.of(44241), new CborValue.Bytes(realmToken));
    return CborEncoder.encode(new CborValue.Tag(399, new CborValue.MapValue(outer)));
  }

  private static CborValue component(byte[] measurement) {
    Map<CborValue, CborValue> c = new LinkedHashMap<>();
    c.put(CborValue.Int.of(1), new CborValue.Text("BL"));
    c.put(CborValue.Int.of(2), new CborValue.Bytes(measurement));
    c.put(CborValue.Int.of(4), new CborValue.Text("1.0.0"));
    c.put(CborValue.Int.of(5), new CborValue.Bytes(new byte[32]));
    return new CborValue.MapValue(c);
  }
}
