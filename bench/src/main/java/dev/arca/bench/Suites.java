// SPDX-License-Identifier: Apache-2.0
package dev.arca.bench;

import java.util.List;

/** Every suite {@code ./arca bench} runs, in order; docs/benchmarks.md explains each. */
public final class Suites {
  private Suites() {}

  private static final List<String> JMH = List.of("-Djmh.ignoreLock=true");

  private static final List<String> SERVICE_JVM =
      List.of(
          "-Xmx512m",
          "-XX:+DisableAttachMechanism",
          "-Darca.keycloak.dist=target/keycloak/keycloak-26.5.6",
          "-Darca.keycloak.realm=src/main/keycloak/arca-realm.json");

  /** The suites, cheapest first, so a broken build shows early. */
  public static final List<Suite> ALL =
      List.of(
          new Suite(
              "policy",
              "policy",
              "dev.arca.policy.PolicyBenchmarkMain",
              List.of(),
              Suite.TEST_CLASS_PATH,
              JMH,
              "indexed decision vs every rule evaluated, 10/100/1,000 rules"),
          new Suite(
              "transparency",
              "transparency",
              "dev.arca.transparency.bench.BenchmarkMain",
              List.of(),
              Suite.TEST_CLASS_PATH,
              JMH,
              "log appends and proofs on 2^20 entries vs one SHA-256 of an entry"),
          evidence("tpm2", "Tpm2Benchmark", "bareEcdsaBouncyCastle"),
          evidence("android-key", "AndroidKeyBenchmark", "bareLeafSignatureBc"),
          evidence("sev-snp", "SevSnpBenchmark", "bareP384BouncyCastle"),
          evidence("tdx", "TdxBenchmark", "bareP256BouncyCastle"),
          evidence("nitro", "CoseEvidenceBenchmark.nitro", "nitroBareEs384Bc"),
          evidence("psa", "CoseEvidenceBenchmark.psa", "psaBareEs256Bc"),
          evidence("cca", "CoseEvidenceBenchmark.cca", "ccaBareTwoEs384Bc"),
          new Suite(
              "appraisal",
              "appraisal",
              "dev.arca.appraisal.bench.AppraisalBenchMain",
              List.of(),
              Suite.TEST_CLASS_PATH,
              JMH,
              "appraisal per format vs the format's bare signature check"),
          new Suite(
              "crypto",
              "crypto",
              "dev.arca.crypto.bench.CryptoBenchmarks",
              List.of(),
              Suite.TEST_CLASS_PATH,
              JMH,
              "opening a sealed model vs raw AES-GCM; signature checks; heap"),
          new Suite(
              "runtime",
              "enclave-runtime",
              "dev.arca.runtime.bench.RuntimeBenchmarks",
              List.of("100", "5", "2000"),
              Suite.TEST_CLASS_PATH,
              List.of("-Xmx1500m"),
              "sealed vs plaintext boot, encrypted vs direct inference, peak RSS vs model"),
          new Suite(
              "service-attestation",
              "attestation-service",
              "dev.arca.attestation.bench.AttestationLoadBenchmark",
              List.of("16", "20"),
              Suite.TEST_CLASS_PATH,
              SERVICE_JVM,
              "challenge + attestation + key release vs GET /v1/ping; service CPU per attestation"),
          new Suite(
              "service-fleet",
              "attestation-service",
              "dev.arca.attestation.bench.FleetScaleBenchmark",
              List.of("16", "20"),
              Suite.TEST_CLASS_PATH,
              SERVICE_JVM,
              "attestation CPU at 10^6 devices, 10^4 rules, 10^7 log entries vs a small fleet"),
          new Suite(
              "service-audit-log",
              "attestation-service",
              "dev.arca.attestation.audit.log.AuditLogBenchmark",
              List.of("64", "15"),
              Suite.TEST_CLASS_PATH,
              List.of("-Xmx1g"),
              "audit log appends per second, group commit vs one commit per entry"),
          new Suite(
              "service-update",
              "attestation-service",
              "dev.arca.attestation.bench.UpdateSwitchoverBenchmark",
              List.of("8", "15"),
              Suite.TEST_CLASS_PATH,
              SERVICE_JVM,
              "model update under load: failed requests, time to the new version"));

  private static Suite evidence(String format, String benchmarks, String baseline) {
    return new Suite(
        "evidence-" + format,
        "evidence",
        "dev.arca.evidence.bench.BenchMain",
        List.of(benchmarks, baseline),
        Suite.TEST_CLASS_PATH,
        JMH,
        format + " verification vs its bare signature check (" + baseline + ")");
  }
}
