// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.ohttp;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.Hex;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePrivateKey;

/** The RFC 9458 Appendix A gateway key and messages, for the fuzz tests. */
final class OhttpFuzzFixtures {
  static final HpkePrivateKey SKR;
  static final KeyConfig CONFIG;
  static final byte[] REQUEST =
      Hex.decode(
          "010020000100014b28f881333e7c164ffc499ad9796f877f4e1051ee6d31bad19dec96c208b4726374e4"
              + "69135906992e1268c594d2a10c695d858c40a026e7965e7d86b83dd440b2c0185204b4d63525");
  static final byte[] RESPONSE =
      Hex.decode("c789e7151fcba46158ca84b04464910d86f9013e404feea014e7be4a441f234f857fbd");
  static final byte[] SKE =
      Hex.decode("bc51d5e930bda26589890ac7032f70ad12e4ecb37abb1b65b1256c9c48999c73");
  static final byte[] REQUEST_BHTTP =
      Hex.decode("00034745540568747470730b6578616d706c652e636f6d012f");

  static {
    try {
      SKR =
          HpkePrivateKey.of(
              HpkeKem.DHKEM_X25519_HKDF_SHA256,
              Hex.decode("3c168975674b2fa8e465970b79c8dcf09f1c741626480bd4c6162fc5b6a98e1a"),
              InsecureSecretKeyAccess.get());
      CONFIG =
          KeyConfig.decode(
              Hex.decode(
                  "01002031e1f05a740102115220e9af918f738674aec95f54db6e04eb705aae8e7981550008000100"
                      + "0100010003"));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private OhttpFuzzFixtures() {}
}
