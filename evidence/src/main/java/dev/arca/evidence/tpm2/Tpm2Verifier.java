// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.CertificateRevocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies {@code tpm2} evidence: a {@link Tpm2Bundle} holding a TPM 2.0 quote.
 *
 * <ol>
 *   <li>parses TPMS_ATTEST (a quote made by the TPM), TPMT_PUBLIC (the AK) and TPMT_SIGNATURE;
 *   <li>requires the AK to be a restricted signing key (only those refuse to sign outside data that
 *       starts with TPM_GENERATED_VALUE), and, when the context lists trusted keys (the AKs of
 *       enrolled devices), that the AK is one of them;
 *   <li>verifies the signature over the TPMS_ATTEST;
 *   <li>requires the quoted selection to select at least one PCR (a quote over the empty selection,
 *       which the TPM signs, proves only that the AK signed a nonce);
 *   <li>recomputes pcrDigest from the bundle's PCR values of the quoted selection, with the
 *       signature's hash (Part 3 §18.4): only PCRs in the selection become measurements;
 *   <li>checks extraData against the expected nonce or report data;
 *   <li>replays the event log, if any, into each quoted bank it covers and compares every PCR it
 *       extends with the quoted value; facts read from the log (Secure Boot, from PCR 7) are
 *       claimed only for PCRs that are quoted and replay equal, and the PCRs the log extends
 *       without that are listed in the raw claims as {@code eventLog.unverifiedPcrs};
 *   <li>validates the EK certificate, if any, against the configured manufacturer CAs.
 * </ol>
 *
 * Independent failures are collected. {@code hardwareRooted} is true only when the AK is a trusted
 * (enrolled) key: enrolment is where the EK certificate and credential activation prove the AK is
 * in a genuine TPM; a quote alone cannot.
 *
 * <p>Failure ids, besides those of the parsers ({@code tpm2.bundle.*}, {@code tpm2.attest.*},
 * {@code tpm2.public.*}, {@code tpm2.signature.*}, {@code tpm2.eventlog.*}, {@code tpm2.ek.*}):
 * {@code tpm2.ak.not-restricted-signing-key}, {@code tpm2.ak.untrusted}, {@code
 * tpm2.quote.signature-invalid}, {@code tpm2.quote.nonce-mismatch}, {@code
 * tpm2.quote.report-data-mismatch}, {@code tpm2.pcrs.none-quoted} (the selection, in every bank,
 * selects no PCR; also for a quote with no selection at all), {@code tpm2.pcrs.missing}, {@code
 * tpm2.pcrs.malformed}, {@code tpm2.pcrs.digest-mismatch}, {@code tpm2.eventlog.replay-mismatch}.
 */
public final class Tpm2Verifier implements EvidenceVerifier {
  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor("tpm2", "1", List.of(Tpm2Bundle.MEDIA_TYPE));
  private static final HexFormat HEX = HexFormat.of();

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * Reads a bundle file, or packs a directory of the files named in {@link Tpm2Bundle} into one.
   */
  @Override
  public byte[] readEvidence(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return Tpm2Bundle.readDirectory(path).toJson();
    }
    if (Files.size(path) > Tpm2Bundle.MAX_BYTES) {
      throw new IOException(path + " is larger than " + Tpm2Bundle.MAX_BYTES + " bytes");
    }
    return Files.readAllBytes(path);
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    Tpm2Bundle bundle = Tpm2Bundle.parse(evidence);
    TpmsAttest attest = TpmsAttest.parse(bundle.attest());
    TpmtPublic ak = parseAk(bundle.akPublic());
    TpmtSignature signature = TpmtSignature.parse(bundle.signature());
    Optional<EventLog> log =
        bundle.eventLog().isPresent()
            ? Optional.of(EventLog.parse(bundle.eventLog().get()))
            : Optional.empty();

    Failures failures = new Failures();
    if (!ak.isRestrictedSigningKey()) {
      failures.add(
          "tpm2.ak.not-restricted-signing-key",
          String.format(
              "the attestation key (attributes 0x%08x) is not a fixedTPM restricted signing key,"
                  + " so it could sign data that only looks like a quote",
              ak.attributes()));
    }
    boolean akTrusted = isTrusted(ak, context.trustedKeys());
    if (!context.trustedKeys().isEmpty() && !akTrusted) {
      failures.add(
          "tpm2.ak.untrusted", "the quote is signed by an attestation key that is not enrolled");
    }
    try {
      QuoteSignature.verify(ak, signature, attest.encoded());
    } catch (EvidenceException e) {
      failures.addAll(e);
    }

    Map<String, Map<Integer, byte[]>> quoted = quotedPcrs(attest, bundle, signature, failures);
    checkBinding(attest, context, failures);
    Map<String, Object> logClaims = null;
    Optional<Boolean> secureBoot = Optional.empty();
    if (log.isPresent()) {
      Set<Integer> verifiedPcrs = new TreeSet<>();
      logClaims = replay(log.get(), quoted, verifiedPcrs, failures);
      LogFacts facts = logFacts(log.get(), verifiedPcrs);
      secureBoot = facts.secureBoot();
      if (secureBoot.isPresent()) {
        logClaims.put("secureBoot", secureBoot.get());
      }
      logClaims.put("unverifiedPcrs", facts.unverifiedPcrs());
    }
    Map<String, Object> ekClaims = checkEk(bundle, context, failures);
    failures.throwIfAny();

    return claims(attest, ak, signature, quoted, secureBoot, logClaims, ekClaims, akTrusted);
  }

  /**
   * What an event log may be believed to say, given the PCRs it was verified against.
   *
   * @param secureBoot the Secure Boot state, only when PCR 7 is verified
   * @param unverifiedPcrs the PCRs the log extends that are not verified (not quoted, or in no
   *     replayed bank): nothing the log says about them is claimed
   */
  record LogFacts(Optional<Boolean> secureBoot, List<Integer> unverifiedPcrs) {}

  /**
   * The rule for every event-log fact used in claims: it is taken only from PCRs that are both
   * quoted and replayed to their quoted value ({@code verifiedPcrs}); a log's events for any other
   * PCR are the platform's unchecked word and only listed as unverified.
   *
   * @param verifiedPcrs PCRs quoted in a bank the log was replayed into, with an equal replay
   */
  static LogFacts logFacts(EventLog log, Set<Integer> verifiedPcrs) {
    List<Integer> unverified =
        log.extendedPcrs().stream().filter(p -> !verifiedPcrs.contains(p)).toList();
    return new LogFacts(log.secureBoot(verifiedPcrs), unverified);
  }

  /** The bundle's values of every quoted PCR, after checking them against pcrDigest. */
  private static Map<String, Map<Integer, byte[]>> quotedPcrs(
      TpmsAttest attest, Tpm2Bundle bundle, TpmtSignature signature, Failures failures) {
    Map<String, Map<Integer, byte[]>> quoted = new LinkedHashMap<>();
    ByteArrayOutputStream concat = new ByteArrayOutputStream();
    boolean complete = true;
    for (PcrSelection sel : attest.pcrSelections()) {
      int size = TpmAlg.digestSize(sel.hashAlg());
      Map<Integer, byte[]> values = bundle.pcrs().getOrDefault(sel.bank(), Map.of());
      Map<Integer, byte[]> bank = quoted.computeIfAbsent(sel.bank(), b -> new LinkedHashMap<>());
      for (int pcr : sel.pcrs()) {
        byte[] v = values.get(pcr);
        if (v == null) {
          failures.add(
              "tpm2.pcrs.missing",
              "the quote covers PCR "
                  + pcr
                  + " of bank "
                  + sel.bank()
                  + " but the bundle lacks its value");
          complete = false;
        } else if (size < 0 || v.length != size) {
          failures.add(
              "tpm2.pcrs.malformed",
              "PCR " + pcr + " of bank " + sel.bank() + " has " + v.length + " bytes, not " + size);
          complete = false;
        } else {
          concat.writeBytes(v);
          bank.put(pcr, v);
        }
      }
    }
    if (attest.pcrSelections().stream().allMatch(sel -> sel.pcrs().isEmpty())) {
      failures.add(
          "tpm2.pcrs.none-quoted",
          "the quote's PCR selection "
              + attest.pcrSelections().stream().map(PcrSelection::bank).toList()
              + " selects no PCR, so it attests nothing about the platform's state");
    }
    if (complete) {
      byte[] digest = TpmAlg.hash(signature.hashAlg(), concat.toByteArray());
      if (!MessageDigest.isEqual(digest, attest.pcrDigest())) {
        failures.add(
            "tpm2.pcrs.digest-mismatch",
            "the PCR values do not hash to the quote's pcrDigest "
                + HEX.formatHex(attest.pcrDigest()));
      }
    }
    return quoted;
  }

  private static void checkBinding(
      TpmsAttest attest, VerificationContext context, Failures failures) {
    byte[] extra = attest.extraData();
    context
        .expectedNonce()
        .ifPresent(
            n -> {
              if (!MessageDigest.isEqual(n, extra)) {
                failures.addBinding(
                    "tpm2.quote.nonce-mismatch",
                    "the quote's extraData is not the expected nonce (it binds "
                        + extra.length
                        + " bytes "
                        + HEX.formatHex(extra)
                        + ")");
              }
            });
    context
        .expectedReportData()
        .ifPresent(
            d -> {
              if (!MessageDigest.isEqual(d, extra)) {
                failures.addBinding(
                    "tpm2.quote.report-data-mismatch",
                    "the quote's extraData is not the expected report data");
              }
            });
  }

  /**
   * Replays the log into every quoted bank it covers; adds to {@code verifiedPcrs} each quoted PCR
   * whose replay equals its quoted value.
   */
  private static Map<String, Object> replay(
      EventLog log,
      Map<String, Map<Integer, byte[]>> quoted,
      Set<Integer> verifiedPcrs,
      Failures failures) {
    Map<String, Object> m = new LinkedHashMap<>(log.summary());
    List<String> replayedBanks = new ArrayList<>();
    List<Integer> replayedPcrs = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, byte[]>> bank : quoted.entrySet()) {
      int alg = TpmAlg.hashByName(bank.getKey());
      if (!log.covers(alg)) {
        continue;
      }
      Map<Integer, byte[]> replayed;
      try {
        replayed = log.replay(alg);
      } catch (EvidenceException e) {
        failures.addAll(e);
        continue;
      }
      replayedBanks.add(bank.getKey());
      for (Map.Entry<Integer, byte[]> pcr : replayed.entrySet()) {
        byte[] q = bank.getValue().get(pcr.getKey());
        if (q == null) {
          continue; // the log extends a PCR the quote does not cover: nothing bound to compare
        }
        if (!replayedPcrs.contains(pcr.getKey())) {
          replayedPcrs.add(pcr.getKey());
        }
        if (MessageDigest.isEqual(q, pcr.getValue())) {
          verifiedPcrs.add(pcr.getKey());
        } else {
          failures.add(
              "tpm2.eventlog.replay-mismatch",
              "the event log replays PCR "
                  + pcr.getKey()
                  + " ("
                  + bank.getKey()
                  + ") to "
                  + HEX.formatHex(pcr.getValue())
                  + " but the quote says "
                  + HEX.formatHex(q));
        }
      }
    }
    if (replayedBanks.isEmpty()) {
      failures.add(
          "tpm2.eventlog.bank-missing",
          "the event log has no digests for any quoted bank " + quoted.keySet());
    }
    replayedPcrs.sort(null);
    m.put("replayedBanks", replayedBanks);
    m.put("replayedPcrs", replayedPcrs);
    return m;
  }

  private static Map<String, Object> checkEk(
      Tpm2Bundle bundle, VerificationContext context, Failures failures) {
    if (bundle.ekCertificate().isEmpty()) {
      return null;
    }
    ByteArrayOutputStream chain = new ByteArrayOutputStream();
    bundle.ekChain().forEach(chain::writeBytes);
    try {
      X509Certificate ek =
          EkCertificates.verifyChain(
              bundle.ekCertificate().get(),
              chain.toByteArray(),
              context.anchorsWith(EkCertificates.pinnedRoots()),
              context.time(),
              CertificateRevocation.crls(context, "tpm2.ek"));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("subject", ek.getSubjectX500Principal().getName());
      m.put("issuer", ek.getIssuerX500Principal().getName());
      m.put("serial", ek.getSerialNumber().toString(16));
      m.put("chainVerified", true);
      return m;
    } catch (EvidenceException e) {
      failures.addAll(e);
      return null;
    }
  }

  /**
   * Parses an AK, reusing the parse of the same bytes seen recently: a device quotes with one AK
   * for a long time, and a shared key keeps Bouncy Castle's precomputation for its point.
   * TpmtPublic is immutable, so sharing is safe; the cache is bounded.
   */
  private static TpmtPublic parseAk(byte[] encoded) throws EvidenceException {
    java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(encoded.clone());
    TpmtPublic cached = AK_CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    TpmtPublic parsed = TpmtPublic.parse(encoded);
    AK_CACHE.put(key, parsed);
    return parsed;
  }

  private static final Map<java.nio.ByteBuffer, TpmtPublic> AK_CACHE =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<java.nio.ByteBuffer, TpmtPublic> e) {
              return size() > 1024;
            }
          });

  private static boolean isTrusted(TpmtPublic ak, List<PublicKey> trusted) {
    boolean found = false;
    for (PublicKey k : trusted) {
      found |= ak.sameKeyAs(k); // public values: no need for a constant-time comparison
    }
    return found;
  }

  private static Claims claims(
      TpmsAttest attest,
      TpmtPublic ak,
      TpmtSignature signature,
      Map<String, Map<Integer, byte[]>> quoted,
      Optional<Boolean> secureBoot,
      Map<String, Object> logClaims,
      Map<String, Object> ekClaims,
      boolean akTrusted) {
    int configuration =
        secureBoot
            .map(on -> on ? Trustworthiness.AFFIRMING : Trustworthiness.WARNING)
            .orElse(Trustworthiness.NO_CLAIM);
    int rooted = akTrusted ? Trustworthiness.AFFIRMING : Trustworthiness.NO_CLAIM;
    Claims.Builder c =
        Claims.builder("tpm2")
            .hardwareRooted(akTrusted)
            .securityLevel("tpm")
            .deviceIdentity("tpm2:ak:" + ak.nameHex())
            .reportData(attest.extraData())
            .debug(false)
            .tcb("tpm2.firmwareVersion", String.format("%016x", attest.firmwareVersion()))
            .trustworthiness(
                Trustworthiness.empty()
                    .with(Trustworthiness.Claim.INSTANCE_IDENTITY, rooted)
                    .with(Trustworthiness.Claim.HARDWARE, rooted)
                    .with(Trustworthiness.Claim.CONFIGURATION, configuration));
    if (secureBoot.isPresent() && !secureBoot.get()) {
      c.insecureFlag("tpm2.secure-boot-disabled");
    }
    Map<String, List<Integer>> selection = new LinkedHashMap<>();
    quoted.forEach(
        (bank, values) -> {
          values.forEach((pcr, v) -> c.measurement("pcr." + bank + "." + pcr, v));
          selection.put(bank, List.copyOf(values.keySet()));
        });
    c.raw("attestType", "quote")
        .raw("qualifiedSigner", HEX.formatHex(attest.qualifiedSigner()))
        .raw("extraData", HEX.formatHex(attest.extraData()))
        .raw("clock", unsigned(attest.clock()))
        .raw("resetCount", attest.resetCount())
        .raw("restartCount", attest.restartCount())
        .raw("safe", attest.safe())
        .raw("firmwareVersion", String.format("%016x", attest.firmwareVersion()))
        .raw("pcrSelection", selection)
        .raw("pcrDigest", HEX.formatHex(attest.pcrDigest()));
    Map<String, Object> akClaims = new LinkedHashMap<>();
    akClaims.put("name", ak.nameHex());
    akClaims.put("type", TpmAlg.name(ak.type()));
    akClaims.put("nameAlg", TpmAlg.name(ak.nameAlg()));
    akClaims.put("attributes", String.format("%08x", ak.attributes()));
    akClaims.put("enrolled", akTrusted);
    c.raw("ak", akClaims);
    c.raw(
        "signature",
        Map.of(
            "algorithm",
            TpmAlg.name(signature.sigAlg()),
            "hash",
            TpmAlg.name(signature.hashAlg())));
    if (logClaims != null) {
      c.raw("eventLog", logClaims);
    }
    if (ekClaims != null) {
      c.raw("ek", ekClaims);
    }
    return c.build();
  }

  private static Object unsigned(long v) {
    return v >= 0 ? (Object) v : Long.toUnsignedString(v);
  }
}
