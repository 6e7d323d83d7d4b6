// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The GCP Shielded VM quote (go-attestation test data): valid, and every way of breaking it. */
class Tpm2VectorTest {
  static final Path GCP = Path.of("src/test/resources/vectors/tpm");
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  static final VerificationContext CTX = VerificationContext.insecureWithoutBinding(AT).build();

  private final Tpm2Verifier verifier = new Tpm2Verifier();
  private final Tpm2Bundle gcp = readGcp();

  private static Tpm2Bundle readGcp() {
    try {
      return Tpm2Bundle.readDirectory(GCP);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Tpm2Bundle with(
      Tpm2Bundle b,
      byte[] attest,
      byte[] sig,
      byte[] ak,
      Map<String, Map<Integer, byte[]>> pcrs,
      byte[] log) {
    return new Tpm2Bundle(
        attest == null ? b.attest() : attest,
        sig == null ? b.signature() : sig,
        ak == null ? b.akPublic() : ak,
        pcrs == null ? b.pcrs() : pcrs,
        log == null ? b.eventLog().orElse(null) : log,
        b.ekCertificate().orElse(null),
        b.ekChain());
  }

  private List<String> ids(Tpm2Bundle b, VerificationContext ctx) {
    try {
      verifier.verify(b.toJson(), ctx);
    } catch (EvidenceException e) {
      return e.ids();
    }
    throw new AssertionError("verified, but should not have");
  }

  @Test
  void gcpShieldedVmQuoteVerifiesWithReplayedEventLog() throws Exception {
    Claims c = verifier.verify(verifier.readEvidence(GCP), CTX);
    assertThat(c.format()).isEqualTo("tpm2");
    assertThat(c.securityLevel()).isEqualTo("tpm");
    assertThat(c.deviceIdentity())
        .isEqualTo("tpm2:ak:000b4ce9b151f75089d74c15dabe9d520cffafbcafd5d43be0aad2e2d88d54717e2e");
    // Not enrolled: a quote alone does not prove the AK is in a TPM.
    assertThat(c.hardwareRooted()).isFalse();
    assertThat(c.reportData()).isEmpty();
    assertThat(c.measurements()).hasSize(24);
    assertThat(c.measurements())
        .containsEntry("pcr.sha1.0", "51c323de0c0c694f4601cdd02beb58ff13629f74")
        .containsEntry("pcr.sha1.7", "859a5877266b5c909613468091a73380a5386786");
    assertThat(c.tcb()).containsKey("tpm2.firmwareVersion");
    assertThat(c.raw()).containsEntry("safe", true).containsEntry("clock", 10257171L);
    @SuppressWarnings("unchecked")
    Map<String, Object> log = (Map<String, Object>) c.raw().get("eventLog");
    assertThat(log)
        .containsEntry("format", "sha1")
        .containsEntry("events", 21)
        .containsEntry("secureBoot", true)
        .containsEntry("replayedBanks", List.of("sha1"))
        .containsEntry("replayedPcrs", List.of(0, 4, 5, 7, 11, 12, 13, 14))
        .containsEntry("unverifiedPcrs", List.of());
    assertThat(c.trustworthiness().get(Trustworthiness.Claim.CONFIGURATION))
        .isEqualTo(Trustworthiness.AFFIRMING);
    @SuppressWarnings("unchecked")
    Map<String, Object> sig = (Map<String, Object>) c.raw().get("signature");
    assertThat(sig).containsEntry("algorithm", "rsassa").containsEntry("hash", "sha1");
  }

  @Test
  void eventLogFactsComeOnlyFromQuotedAndReplayedPcrs() throws Exception {
    EventLog log = EventLog.parse(gcp.eventLog().orElseThrow());
    Set<Integer> replayed = Set.of(0, 4, 5, 7, 11, 12, 13, 14);
    assertThat(log.extendedPcrs()).containsExactlyElementsOf(new TreeSet<>(replayed));

    Tpm2Verifier.LogFacts all = Tpm2Verifier.logFacts(log, replayed);
    assertThat(all.secureBoot()).contains(true);
    assertThat(all.unverifiedPcrs()).isEmpty();

    // As if the quote did not cover PCR 7 (or its bank was not replayed): the same log's SecureBoot
    // event is not believed, and PCR 7 is listed as unverified.
    Set<Integer> without7 = new TreeSet<>(replayed);
    without7.remove(7);
    Tpm2Verifier.LogFacts no7 = Tpm2Verifier.logFacts(log, without7);
    assertThat(no7.secureBoot()).isEmpty();
    assertThat(no7.unverifiedPcrs()).containsExactly(7);

    Tpm2Verifier.LogFacts none = Tpm2Verifier.logFacts(log, Set.of());
    assertThat(none.secureBoot()).isEmpty();
    assertThat(none.unverifiedPcrs()).containsExactly(0, 4, 5, 7, 11, 12, 13, 14);
    assertThat(log.summary()).doesNotContainKey("secureBoot");
  }

  @Test
  void registeredAsTpm2() throws Exception {
    assertThat(BuiltinFormats.registry().require("tpm2")).isInstanceOf(Tpm2Verifier.class);
  }

  @Test
  void bundleRoundTripsThroughJson() throws Exception {
    Tpm2Bundle again = Tpm2Bundle.parse(gcp.toJson());
    assertThat(again.toJson()).isEqualTo(gcp.toJson());
    assertThat(again.eventLog()).isPresent();
  }

  @Test
  void theGcpQuoteBindsNothingSoOnlyAnUnboundContextAcceptsIt() throws Exception {
    assertThat(verifier.verify(gcp.toJson(), CTX).reportData()).isEmpty();
    // An empty expected nonce would match this quote's empty extraData: it cannot be asked for.
    assertThatThrownBy(() -> VerificationContext.expectingNonce(AT, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ids(gcp, VerificationContext.expectingNonce(AT, new byte[] {1}).build()))
        .containsExactly("tpm2.quote.nonce-mismatch");
    assertThat(ids(gcp, VerificationContext.expectingReportData(AT, new byte[] {1}).build()))
        .containsExactly("tpm2.quote.report-data-mismatch");
  }

  @Test
  void everyFlippedSignatureByteIsRejected() {
    byte[] sig = gcp.signature();
    for (int i = 0; i < sig.length; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 0x01;
      assertThat(ids(with(gcp, null, bad, null, null, null), CTX)).as("flip at %d", i).isNotEmpty();
    }
    byte[] bad = sig.clone();
    bad[100] ^= 0x40;
    assertThat(ids(with(gcp, null, bad, null, null, null), CTX))
        .containsExactly("tpm2.quote.signature-invalid");
  }

  @Test
  void everyFlippedAttestByteIsRejected() {
    byte[] attest = gcp.attest();
    for (int i = 0; i < attest.length; i++) {
      byte[] bad = attest.clone();
      bad[i] ^= 0x01;
      assertThat(ids(with(gcp, bad, null, null, null, null), CTX)).as("flip at %d", i).isNotEmpty();
    }
    byte[] bad = attest.clone();
    bad[attest.length - 1] ^= 0x01; // last byte of pcrDigest
    assertThat(ids(with(gcp, bad, null, null, null, null), CTX))
        .containsExactly("tpm2.quote.signature-invalid", "tpm2.pcrs.digest-mismatch");
  }

  @Test
  void everyFlippedAkModulusByteIsRejected() {
    byte[] ak = gcp.akPublic();
    for (int i = ak.length - 256; i < ak.length; i++) {
      byte[] bad = ak.clone();
      bad[i] ^= 0x01;
      assertThat(ids(with(gcp, null, null, bad, null, null), CTX)).as("flip at %d", i).isNotEmpty();
    }
  }

  @Test
  void aKeyThatIsNotARestrictedSigningKeyIsRejected() {
    byte[] ak = gcp.akPublic();
    ak[5] &= ~0x01; // clear TPMA_OBJECT.restricted (bit 16; attributes at bytes 4..7)
    assertThat(ids(with(gcp, null, null, ak, null, null), CTX))
        .containsExactly("tpm2.ak.not-restricted-signing-key");
  }

  @Test
  void tamperedPcrValuesAreRejected() {
    Map<String, Map<Integer, byte[]>> pcrs = copy(gcp.pcrs());
    pcrs.get("sha1").get(23)[0] ^= 1; // not in the event log: only the digest catches it
    assertThat(ids(with(gcp, null, null, null, pcrs, null), CTX))
        .containsExactly("tpm2.pcrs.digest-mismatch");
    Map<String, Map<Integer, byte[]>> pcrs0 = copy(gcp.pcrs());
    pcrs0.get("sha1").get(0)[0] ^= 1; // in the event log too
    assertThat(ids(with(gcp, null, null, null, pcrs0, null), CTX))
        .containsExactly("tpm2.pcrs.digest-mismatch", "tpm2.eventlog.replay-mismatch");
    Map<String, Map<Integer, byte[]>> missing = copy(gcp.pcrs());
    missing.get("sha1").remove(5);
    assertThat(ids(with(gcp, null, null, null, missing, null), CTX))
        .containsExactly("tpm2.pcrs.missing");
  }

  @Test
  void anEventLogThatDoesNotReplayToTheQuoteIsRejected() {
    byte[] log = gcp.eventLog().orElseThrow();
    log[8] ^= 1; // the SHA-1 digest of the first event (PCR 0)
    assertThat(ids(with(gcp, null, null, null, null, log), CTX))
        .containsExactly("tpm2.eventlog.replay-mismatch");
  }

  @Test
  void anEventLogWithDigestsForNoQuotedBankIsRefused() {
    // The quote covers the sha1 bank only; this log records its one event in sha256 alone.
    byte[] sha256Only =
        new AgileEventLogWriter(TpmAlg.SHA256).event(0, TcgEvent.EV_SEPARATOR, new byte[4]).bytes();
    assertThat(ids(with(gcp, null, null, null, null, sha256Only), CTX))
        .containsExactly("tpm2.eventlog.bank-missing");
  }

  @Test
  void truncatedStructuresHaveTheirOwnIds() {
    assertThat(ids(with(gcp, Arrays.copyOf(gcp.attest(), 50), null, null, null, null), CTX))
        .containsExactly("tpm2.attest.truncated");
    assertThat(ids(with(gcp, null, null, Arrays.copyOf(gcp.akPublic(), 100), null, null), CTX))
        .containsExactly("tpm2.public.truncated");
    assertThat(ids(with(gcp, null, Arrays.copyOf(gcp.signature(), 40), null, null, null), CTX))
        .containsExactly("tpm2.signature.truncated");
    byte[] log = gcp.eventLog().orElseThrow();
    assertThat(ids(with(gcp, null, null, null, null, Arrays.copyOf(log, log.length - 3)), CTX))
        .containsExactly("tpm2.eventlog.truncated");
  }

  @Test
  void overLongSizeFieldsHaveTheirOwnIds() {
    byte[] attest = gcp.attest();
    attest[6] = (byte) 0xff; // qualifiedSigner.size
    assertThat(ids(with(gcp, attest, null, null, null, null), CTX))
        .containsExactly("tpm2.attest.length-too-large");
    byte[] ak = gcp.akPublic();
    ak[8] = (byte) 0xff; // authPolicy.size
    assertThat(ids(with(gcp, null, null, ak, null, null), CTX))
        .containsExactly("tpm2.public.length-too-large");
    byte[] sig = gcp.signature();
    sig[4] = (byte) 0xff; // signature.size
    assertThat(ids(with(gcp, null, sig, null, null, null), CTX))
        .containsExactly("tpm2.signature.length-too-large");
    byte[] log = gcp.eventLog().orElseThrow();
    Arrays.fill(log, 28, 32, (byte) 0xff); // first event's eventSize = 2^32-1
    assertThat(ids(with(gcp, null, null, null, null, log), CTX))
        .containsExactly("tpm2.eventlog.length-too-large");
  }

  @Test
  void malformedBundlesHaveTheirOwnIds() {
    assertThatThrownBy(() -> verifier.verify("{\"version\":1".getBytes(UTF_8), CTX))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tpm2.bundle.malformed"));
    String json = new String(gcp.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                verifier.verify(
                    json.replace("\"version\" : 1", "\"version\" : 2").getBytes(UTF_8), CTX))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tpm2.bundle.unsupported-version"));
    assertThatThrownBy(
            () ->
                verifier.verify(
                    json.replace("\"version\" : 1", "\"version\" : 1, \"extra\" : 1")
                        .getBytes(UTF_8),
                    CTX))
        .isInstanceOfSatisfying(
            EvidenceException.class,
            e -> assertThat(e.ids()).containsExactly("tpm2.bundle.malformed"));
  }

  @Test
  void aDirectoryWithoutTheQuoteIsAnIoError() {
    assertThatThrownBy(() -> verifier.readEvidence(GCP.resolve("..")))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("quote_tpms_attest.bin");
  }

  private static Map<String, Map<Integer, byte[]>> copy(Map<String, Map<Integer, byte[]>> in) {
    Map<String, Map<Integer, byte[]>> out = new HashMap<>();
    in.forEach(
        (bank, v) -> {
          Map<Integer, byte[]> m = new HashMap<>();
          v.forEach((i, b) -> m.put(i, b.clone()));
          out.put(bank, m);
        });
    return out;
  }

  @Test
  void aPcrValueOfTheWrongLengthForItsBankIsMalformed() {
    Map<String, Map<Integer, byte[]>> pcrs = copy(gcp.pcrs());
    pcrs.get("sha1").put(23, Arrays.copyOf(pcrs.get("sha1").get(23), 19));
    assertThat(ids(with(gcp, null, null, null, pcrs, null), CTX))
        .containsExactly("tpm2.pcrs.malformed");
  }
}
