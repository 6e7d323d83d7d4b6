// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fuzzes TPM evidence as a whole, {@link Tpm2Bundle#parse} and {@link Tpm2Verifier#verify}: the
 * bundle JSON, TPMS_ATTEST, TPMT_PUBLIC, TPMT_SIGNATURE, PCR values, the event log and its replay.
 * Input: raw bundle bytes, or the GCP vector's bundle with one field edited (fuzzer-chosen bytes
 * overwritten, then optionally cut or extended). Only {@link EvidenceException} may come out.
 *
 * <p>The context enrols the vector's AK, so only that key can make a quote verify. Covered bytes:
 * the TPMS_ATTEST (signed), the TPMT_SIGNATURE (RSASSA-PKCS1-v1_5 is deterministic: one key and
 * message have exactly one valid signature), the AK's modulus (the enrolled key), and the quoted
 * PCR values (hashed into the signed pcrDigest). An edit that changes any of them must not verify.
 * Other bytes may change without failing (the AK's attributes, policy and exponent encoding, event
 * data that is not extended), so for any input that verifies the test asserts the genuine attest
 * and signature, and the genuine measurements and report data.
 */
class Tpm2VerifierFuzzTest {
  private static final Tpm2Verifier VERIFIER = new Tpm2Verifier();
  private static final Tpm2Bundle GENUINE;
  private static final VerificationContext CONTEXT;
  private static final Claims CLAIMS;

  static {
    try {
      GENUINE = Tpm2Bundle.readDirectory(Tpm2VectorTest.GCP);
      if (TpmtPublic.parse(GENUINE.akPublic()).rsaKeyBits() != 2048) {
        throw new IllegalStateException("sameModulus expects the vector's RSA-2048 AK");
      }
      CONTEXT =
          VerificationContext.insecureWithoutBinding(Tpm2VectorTest.AT)
              .trustedKey(TpmtPublic.parse(GENUINE.akPublic()).toPublicKey())
              .build();
      CLAIMS = VERIFIER.verify(GENUINE.toJson(), CONTEXT);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void verify(FuzzedDataProvider data) throws EvidenceException {
    byte[] evidence;
    boolean coveredEdit = false;
    if (data.consumeBoolean()) {
      byte[] attest = GENUINE.attest();
      byte[] signature = GENUINE.signature();
      byte[] ak = GENUINE.akPublic();
      Map<String, Map<Integer, byte[]>> pcrs = copy(GENUINE.pcrs());
      byte[] log = GENUINE.eventLog().orElseThrow();
      switch (data.consumeInt(0, 4)) {
        case 0 -> {
          attest = edit(attest, data);
          coveredEdit = !Arrays.equals(attest, GENUINE.attest());
        }
        case 1 -> {
          signature = edit(signature, data);
          coveredEdit = !Arrays.equals(signature, GENUINE.signature());
        }
        case 2 -> {
          ak = edit(ak, data);
          coveredEdit = !sameModulus(ak, GENUINE.akPublic());
        }
        case 3 -> {
          Map<Integer, byte[]> bank = pcrs.get("sha1");
          int pcr = data.consumeInt(0, 23);
          byte[] value = edit(bank.get(pcr), data);
          coveredEdit = !Arrays.equals(value, bank.get(pcr));
          bank.put(pcr, value);
        }
        default -> log = edit(log, data);
      }
      evidence =
          new Tpm2Bundle(
                  attest,
                  signature,
                  ak,
                  pcrs,
                  log,
                  GENUINE.ekCertificate().orElse(null),
                  GENUINE.ekChain())
              .toJson();
    } else {
      evidence = data.consumeRemainingAsBytes();
    }

    Claims claims;
    try {
      claims = VERIFIER.verify(evidence, CONTEXT);
    } catch (EvidenceException e) {
      assertThat(e.ids()).allMatch(id -> id.startsWith("tpm2."));
      return;
    }
    assertThat(coveredEdit).as("an edit of covered bytes verified").isFalse();
    Tpm2Bundle verified = Tpm2Bundle.parse(evidence);
    assertThat(verified.attest()).isEqualTo(GENUINE.attest());
    assertThat(verified.signature()).isEqualTo(GENUINE.signature());
    assertThat(claims.measurements()).isEqualTo(CLAIMS.measurements());
    assertThat(claims.reportData()).isEqualTo(CLAIMS.reportData());
  }

  /** Overwrites 1 to 4 fuzzer-chosen bytes, then maybe cuts or extends (with zeros). */
  private static byte[] edit(byte[] field, FuzzedDataProvider data) {
    byte[] out = field.clone();
    int edits = data.consumeInt(1, 4);
    for (int i = 0; i < edits && out.length > 0; i++) {
      out[data.consumeInt(0, out.length - 1)] = data.consumeByte();
    }
    if (data.consumeBoolean()) {
      out = Arrays.copyOf(out, data.consumeInt(0, out.length + 8));
    }
    return out;
  }

  /** Whether the RSA modulus (the TPMT_PUBLIC's last 256 bytes, its unique field) is unchanged. */
  private static boolean sameModulus(byte[] ak, byte[] genuine) {
    int n = genuine.length;
    return ak.length == n && Arrays.equals(ak, n - 256, n, genuine, n - 256, n);
  }

  private static Map<String, Map<Integer, byte[]>> copy(Map<String, Map<Integer, byte[]>> pcrs) {
    Map<String, Map<Integer, byte[]>> out = new HashMap<>();
    pcrs.forEach((bank, values) -> out.put(bank, new TreeMap<>(values)));
    return out;
  }
}
