// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.CertificateChains;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes Android Key Attestation as a whole ({@link AndroidKeyVerifier#verify}: chain parsing,
 * pinned roots, chain validation, the key description). Input: raw bytes (seeds: the TEE and
 * StrongBox chains as PEM), or the TEE chain as DER with fuzzer-chosen bytes overwritten, then
 * optionally cut or extended. Only {@link EvidenceException} may come out.
 *
 * <p>Every byte of a chain is covered: each certificate (its TBS, algorithm and signature) by the
 * next one's key, the top by a pinned Google key. So a chain that verifies must be the genuine
 * chain, or the genuine chain without its root (which is pinned by key and may be left out), and
 * say what the genuine chain says; only the chain's length and serial numbers may differ.
 */
class AndroidKeyVerifierFuzzTest {
  private static final AndroidKeyVerifier VERIFIER = new AndroidKeyVerifier();
  private static final VerificationContext CONTEXT =
      VerificationContext.expectingNonce(AndroidVectors.VECTOR_TIME, AndroidVectors.CHALLENGE)
          .build();
  private static final List<byte[]> CHAIN;
  private static final byte[] GENUINE;
  private static final Claims CLAIMS;

  static {
    try {
      CHAIN = AndroidVectors.der(AndroidVectors.tee());
      GENUINE = AndroidVectors.concat(CHAIN);
      CLAIMS = VERIFIER.verify(GENUINE, CONTEXT);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void verify(FuzzedDataProvider data) throws Exception {
    byte[] evidence;
    if (data.consumeBoolean()) {
      evidence = GENUINE.clone();
      int edits = data.consumeInt(1, 4);
      for (int i = 0; i < edits; i++) {
        evidence[data.consumeInt(0, evidence.length - 1)] = data.consumeByte();
      }
      if (data.consumeBoolean()) {
        evidence = java.util.Arrays.copyOf(evidence, data.consumeInt(0, evidence.length + 8));
      }
    } else {
      evidence = data.consumeRemainingAsBytes();
    }

    Claims claims;
    try {
      claims = VERIFIER.verify(evidence, CONTEXT);
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("android."));
      return;
    }
    List<byte[]> verified = new ArrayList<>();
    for (X509Certificate c : CertificateChains.parse(evidence, "fuzz")) {
      verified.add(c.getEncoded());
    }
    assertThat(verified).hasSizeBetween(CHAIN.size() - 1, CHAIN.size());
    assertThat(verified).containsExactlyElementsOf(CHAIN.subList(0, verified.size()));
    assertThat(withoutChainShape(claims)).isEqualTo(withoutChainShape(CLAIMS));
  }

  /** Everything the claims say, but the raw chain length and serial numbers. */
  private static Map<String, Object> withoutChainShape(Claims c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", c.format());
    m.put("hardwareRooted", c.hardwareRooted());
    m.put("deviceIdentity", c.deviceIdentity());
    m.put("measurements", c.measurements());
    m.put("debug", c.debug());
    m.put("insecureFlags", c.insecureFlags());
    m.put("tcb", c.tcb());
    m.put("securityLevel", c.securityLevel());
    m.put("reportData", c.reportDataHex());
    m.put("trustworthiness", c.trustworthiness());
    Map<String, Object> raw = new LinkedHashMap<>(c.raw());
    raw.remove("chainLength");
    raw.remove("chainSerialNumbers");
    m.put("raw", raw);
    return m;
  }
}
