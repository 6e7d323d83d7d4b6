// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import dev.arca.appraisal.AppraisalException;
import dev.arca.appraisal.AppraisalRecord;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ArcaPolicyEngine;
import dev.arca.appraisal.CompiledPolicy;
import dev.arca.appraisal.PolicyOutcome;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per evidence format, the service's appraisal of one attestation ({@code appraise<Format>}:
 * verification bound to the report data, enrolment and identity checks, profile, reference
 * matching, EAR status, record building, and the policy decision for one model) beside the bare
 * signature check(s) the evidence contains ({@code bare<Format>Signature}), and the format's
 * verifier alone in the appraisal's context ({@code verify<Format>}) to split the difference, and
 * two of the appraisal's own steps alone ({@code step*}).
 *
 * <p>The evidence is built once per trial for a fixed nonce, so every invocation appraises the same
 * bytes: certificate chains, collateral and decoded keys are in the verifiers' caches, as for a
 * device that attests again. Usage in docs/benchmarks.md; {@code AppraisalBenchmarkTest} checks
 * that every appraisal here is a permit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppraisalBenchmark {
  private CompiledPolicy policy;
  private FormatCase sevSnp;
  private FormatCase tdx;
  private FormatCase nitro;
  private Appraiser sevSnpAppraiser;
  private Appraiser tdxAppraiser;
  private Appraiser nitroAppraiser;
  private EvidenceVerifier sevSnpVerifier;
  private EvidenceVerifier tdxVerifier;
  private EvidenceVerifier nitroVerifier;
  private Appraiser.Appraised tdxAppraised;

  @Setup
  public void setUp() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/policies/service-test.yaml")) {
      policy =
          new ArcaPolicyEngine()
              .compile(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bench");
    }
    sevSnp = FormatCases.sevSnp();
    tdx = FormatCases.tdx();
    nitro = FormatCases.nitro();
    sevSnpAppraiser = sevSnp.appraiser();
    tdxAppraiser = tdx.appraiser();
    nitroAppraiser = nitro.appraiser();
    sevSnpVerifier = sevSnp.verifier();
    tdxVerifier = tdx.verifier();
    nitroVerifier = nitro.verifier();
    tdxAppraised =
        tdxAppraiser.appraise(
            tdx.inputs(),
            tdx.device(),
            tdx.sets(),
            policy,
            tdx.time(),
            new AppraisalRecord.Builder("tdx", tdx.time()));
  }

  @Benchmark
  public PolicyOutcome appraiseSevSnp() throws AppraisalException {
    return sevSnp.appraiseAndDecide(sevSnpAppraiser, policy);
  }

  @Benchmark
  public Claims verifySevSnp() throws EvidenceException {
    return sevSnp.verify(sevSnpVerifier);
  }

  @Benchmark
  public boolean bareSevSnpSignature() throws Exception {
    return sevSnp.bare().verify();
  }

  @Benchmark
  public PolicyOutcome appraiseTdx() throws AppraisalException {
    return tdx.appraiseAndDecide(tdxAppraiser, policy);
  }

  @Benchmark
  public Claims verifyTdx() throws EvidenceException {
    return tdx.verify(tdxVerifier);
  }

  @Benchmark
  public boolean bareTdxSignature() throws Exception {
    return tdx.bare().verify();
  }

  @Benchmark
  public PolicyOutcome appraiseNitro() throws AppraisalException {
    return nitro.appraiseAndDecide(nitroAppraiser, policy);
  }

  @Benchmark
  public Claims verifyNitro() throws EvidenceException {
    return nitro.verify(nitroVerifier);
  }

  /** The policy decision for one model alone (CEL rules of the test policy), on TDX claims. */
  @Benchmark
  public PolicyOutcome stepPolicyDecide() {
    return tdxAppraiser.decide(
        policy,
        tdxAppraised,
        tdx.device().record(),
        FormatCase.MODEL,
        "synthetic",
        "inference",
        tdx.time(),
        new AppraisalRecord.Builder("tdx", tdx.time()));
  }

  /**
   * The record and reference work alone, on TDX (the largest collateral): each collateral file
   * hashed, the reference set's canonical JSON hashed, the measurements matched, the record built.
   */
  @Benchmark
  public AppraisalRecord stepRecordAndReferences() {
    AppraisalRecord.Builder record =
        new AppraisalRecord.Builder("tdx", tdx.time())
            .device(tdx.device().record())
            .referenceSets(tdx.sets())
            .collateral(tdx.inputs().collateral());
    if (!tdx.sets().get(0).mismatches(tdxAppraised.claims().measurements()).isEmpty()) {
      throw new IllegalStateException("the TDX reference set no longer matches");
    }
    return record.appraisal(tdxAppraised.status()).build();
  }

  @Benchmark
  public boolean bareNitroSignature() throws Exception {
    return nitro.bare().verify();
  }
}
