// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bench;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.signature.EcdsaParameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.signature.SignatureConfig;
import dev.arca.crypto.sign.Providers;
import dev.arca.crypto.sign.PublisherPublicKey;
import dev.arca.crypto.sign.SignatureAlgorithm;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Manifest-signature verification throughput by provider: Arca's {@link PublisherPublicKey} (Bouncy
 * Castle underneath), Bouncy Castle's JCA provider, the JDK's SunEC, and Tink's own primitive
 * (SunEC for ECDSA, Tink's Java code for Ed25519). Run by {@link CryptoBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureVerifyBenchmark {
  @Param({"ECDSA_P256", "ED25519"})
  public String algorithm;

  @Param({"Arca", "BC", "SunEC", "Tink"})
  public String provider;

  byte[] data = new byte[600]; // about a manifest
  byte[] sig;
  Signature jca;
  KeyPair pair;
  PublicKeyVerify tink;
  PublisherPublicKey arca;
  java.security.PublicKey verifyKey;

  @Setup
  public void setUp() throws Exception {
    new java.util.Random(1).nextBytes(data);
    if (provider.equals("Tink")) {
      SignatureConfig.register();
      KeysetHandle h =
          KeysetHandle.generateNew(
              algorithm.equals("ED25519")
                  ? Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX)
                  : EcdsaParameters.builder()
                      .setCurveType(EcdsaParameters.CurveType.NIST_P256)
                      .setHashType(EcdsaParameters.HashType.SHA256)
                      .setSignatureEncoding(EcdsaParameters.SignatureEncoding.DER)
                      .setVariant(EcdsaParameters.Variant.NO_PREFIX)
                      .build());
      sig = h.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class).sign(data);
      tink =
          h.getPublicKeysetHandle()
              .getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
      return;
    }
    String alg = algorithm.equals("ED25519") ? "Ed25519" : "SHA256withECDSA";
    KeyPairGenerator g;
    if (algorithm.equals("ED25519")) {
      g = KeyPairGenerator.getInstance("Ed25519");
    } else {
      g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
    }
    pair = g.generateKeyPair();
    Signature s = Signature.getInstance(alg);
    s.initSign(pair.getPrivate());
    s.update(data);
    sig = s.sign();
    if (provider.equals("Arca")) {
      arca = PublisherPublicKey.of("bench", arcaAlgorithm(), rawPublicKey());
      return;
    }
    if (provider.equals("BC")) {
      jca = Signature.getInstance(alg, Providers.bouncyCastle());
      verifyKey =
          KeyFactory.getInstance(
                  algorithm.equals("ED25519") ? "Ed25519" : "EC", Providers.bouncyCastle())
              .generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
    } else {
      jca = Signature.getInstance(alg, "SunEC");
      verifyKey = pair.getPublic();
    }
  }

  private SignatureAlgorithm arcaAlgorithm() {
    return algorithm.equals("ED25519")
        ? SignatureAlgorithm.ED25519
        : SignatureAlgorithm.ECDSA_P256_SHA256;
  }

  private byte[] rawPublicKey() {
    byte[] spki = pair.getPublic().getEncoded();
    if (algorithm.equals("ED25519")) {
      return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }
    return Arrays.copyOfRange(spki, spki.length - 65, spki.length); // uncompressed point
  }

  @Benchmark
  public boolean verify() throws Exception {
    if (tink != null) {
      tink.verify(sig, data);
      return true;
    }
    if (arca != null) {
      arca.verify(sig, data);
      return true;
    }
    jca.initVerify(verifyKey);
    jca.update(data);
    return jca.verify(sig);
  }
}
