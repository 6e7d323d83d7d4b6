// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.devstack.Swtpm;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.tpm2.EkCertificates;
import dev.arca.evidence.tpm2.MakeCredential;
import dev.arca.evidence.tpm2.Tpm2Verifier;
import dev.arca.evidence.tpm2.TpmtPublic;
import dev.arca.runtime.boot.MeasurementLog;
import dev.arca.tpm.TpmEnroller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Tpm2RuntimeAttester} against a real software TPM (swtpm + tpm2-tools): the enrolment
 * request chains to swtpm-localca and its credential activates, the evidence verifies with the
 * {@code tpm2} verifier under the enrolled AK, and PCR 23 is the replay of the measurement log.
 * Skips, naming the missing tools, where swtpm or tpm2-tools is not installed (CI installs them).
 */
class Tpm2RuntimeAttesterTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Swtpm tpm;
  private static Path state;

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
    state = Files.createTempDirectory("arca-runtime-state-");
  }

  @AfterAll
  static void stop() throws Exception {
    if (tpm != null) {
      tpm.close();
    }
    if (state != null) {
      try (Stream<Path> s = Files.walk(state)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static String tpmArg() {
    return "swtpm:127.0.0.1:" + tpm.port();
  }

  @Test
  void enrolledAkQuotesTheMeasurementLogAndTheTpm2VerifierAcceptsIt() throws Exception {
    try (Tpm2RuntimeAttester attester = Tpm2RuntimeAttester.open(tpmArg(), state, null)) {
      TpmEnroller enroller = attester.enroller(tpm.ekIntermediates());
      TpmEnroller.Request request = enroller.request();

      // What the service does at enrolment: the EK chain ends in the manufacturer root, the
      // certificate certifies the EK, and a credential for the AK's Name activates.
      X509Certificate root =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(Files.readAllBytes(tpm.localCaCertificate())));
      ByteArrayOutputStream chain = new ByteArrayOutputStream();
      request.ekChain().forEach(chain::writeBytes);
      X509Certificate ekCert =
          EkCertificates.verifyChain(
              request.ekCertificate(), chain.toByteArray(), List.of(root), java.time.Instant.now());
      TpmtPublic ek = TpmtPublic.parse(request.ekPublic());
      EkCertificates.requireSameKey(ekCert, ek);
      TpmtPublic ak = TpmtPublic.parse(request.akPublic());
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      MakeCredential.Credential cred = MakeCredential.make(ek, ak.name(), secret, RANDOM);
      assertThat(enroller.activate(cred.idObject(), cred.encryptedSecret())).isEqualTo(secret);
      assertThat(attester.deviceId()).isEqualTo("tpm2:ak:" + ak.nameHex());

      MeasurementLog log = new MeasurementLog();
      log.measure("jar:arca-runtime.jar", "runtime bytes".getBytes(StandardCharsets.UTF_8));
      log.measureJvmArguments(List.of("-XX:+DisableAttachMechanism", "-Dnote=two words\nZürich"));
      log.measure("flags", "attester=tpm2\ninsecure=[]\n".getBytes(StandardCharsets.UTF_8));
      log.measure("config", "service=http://x\n".getBytes(StandardCharsets.UTF_8));
      for (MeasurementLog.Entry e : log.entries()) {
        attester.extend(e.sha256());
      }
      byte[] reportData = new byte[32];
      RANDOM.nextBytes(reportData);
      byte[] evidence = attester.evidence(reportData);

      Claims claims =
          new Tpm2Verifier()
              .verify(
                  evidence,
                  VerificationContext.expectingReportData(java.time.Instant.now(), reportData)
                      .trustedKey(ak.toPublicKey())
                      .build());
      assertThat(claims.hardwareRooted()).isTrue();
      assertThat(claims.deviceIdentity()).isEqualTo(attester.deviceId());
      assertThat(claims.measurements())
          .containsEntry(
              "pcr.sha256.23",
              HexFormat.of().formatHex(MeasurementLog.parse(log.text()).replayedPcr()))
          .containsKeys("pcr.sha256.0", "pcr.sha256.7");

      // Another report data does not pass as this one.
      byte[] other = reportData.clone();
      other[0] ^= 1;
      assertThatThrownBy(
              () ->
                  new Tpm2Verifier()
                      .verify(
                          evidence,
                          VerificationContext.expectingReportData(java.time.Instant.now(), other)
                              .trustedKey(ak.toPublicKey())
                              .build()))
          .isInstanceOfSatisfying(
              EvidenceException.class,
              e -> assertThat(e.ids()).containsExactly("tpm2.quote.report-data-mismatch"));
    }
  }

  @Test
  void reopeningLoadsTheSameAkAndStartsTheApplicationPcrAfresh() throws Exception {
    Path dir = Files.createTempDirectory(state, "reopen-");
    String first;
    try (Tpm2RuntimeAttester a = Tpm2RuntimeAttester.open(tpmArg(), dir, null)) {
      first = a.deviceId();
      assertThat(a.keys().created()).isTrue();
      a.extend(new byte[32]);
    }
    try (Tpm2RuntimeAttester b = Tpm2RuntimeAttester.open(tpmArg(), dir, "edge-7")) {
      assertThat(b.keys().created()).isFalse();
      assertThat("tpm2:ak:" + b.keys().ak().nameHex()).isEqualTo(first);
      assertThat(b.deviceId()).isEqualTo("edge-7");
      assertThat(
              tpm.tools().pcrRead(Tpm2RuntimeAttester.BANK, List.of(Tpm2RuntimeAttester.APP_PCR)))
          .hasEntrySatisfying(23, v -> assertThat(v).isEqualTo(new byte[32]));
    }
    // Only the TPM-wrapped AK blobs are kept.
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("tpm2-ak.pub", "tpm2-ak.priv");
    }
  }

  @Test
  void theSessionWorkDirectoryIsOwnerOnlyAndGoneAfterClose() throws Exception {
    Path work;
    try (TpmSession s = TpmSession.open(tpmArg())) {
      work = s.workDir();
      assertThat(s.tools().pcrRead("sha256", List.of(0)).get(0)).hasSize(32);
      assertThat(Files.getPosixFilePermissions(work))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
    }
    assertThat(work).doesNotExist();
  }

  @Test
  void tpmArgumentFormsMapToTctis() {
    assertThat(Tpm2RuntimeAttester.tcti("/dev/tpmrm0")).isEqualTo("device:/dev/tpmrm0");
    assertThat(Tpm2RuntimeAttester.tcti("swtpm:127.0.0.1:2321"))
        .isEqualTo("swtpm:host=127.0.0.1,port=2321");
    for (String bad : List.of("tpmrm0", "swtpm:host", "swtpm:h:port", "mssim:1:2")) {
      assertThatThrownBy(() -> Tpm2RuntimeAttester.tcti(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--tpm must be");
    }
  }
}
