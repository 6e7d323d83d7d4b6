// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.appraisal.AppraisalRecord;
import dev.arca.appraisal.Appraiser;
import dev.arca.appraisal.ReferenceSet;
import dev.arca.evidence.Claims;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cose.CoseSign1;
import dev.arca.evidence.nitro.TestNitroDocuments;
import dev.arca.evidence.sevsnp.TestSevSnpReports;
import dev.arca.evidence.tdx.TestTdxQuotes;
import dev.arca.transparency.json.CanonicalJson;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds each benchmarked format's {@link FormatCase} from the evidence module's test-signed
 * builders: evidence bound to the appraisal's report data for one fixed nonce, the device enrolled
 * as the service enrols it, and a reference set pinning the measured values of the registers the
 * format's profile requires (so the appraisal takes the permit path).
 */
final class FormatCases {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** An instant inside the test PKIs' validity (SEV-SNP and Nitro). */
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private static final byte[] NONCE =
      "bench-nonce-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
  private static final byte[] RUNTIME_KEY = new byte[32];
  private static final byte[] LOG = log("runtime.jar");

  static {
    Arrays.fill(RUNTIME_KEY, (byte) 7);
  }

  private FormatCases() {}

  /** A report of a test chip signed by its VCEK under a test ARK, with VCEK and ASK/ARK chain. */
  static FormatCase sevSnp() throws Exception {
    TestSevSnpReports pki =
        new TestSevSnpReports(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    byte[] chip = TestSevSnpReports.vectorChipId();
    byte[] measurement = new byte[48];
    Arrays.fill(measurement, (byte) 0x11);
    byte[] report = pki.report(chip, padded64(reportData()), false, measurement);
    byte[] vcek = pki.vcekDer(chip);
    Map<String, byte[]> collateral = Map.of("vcek.der", vcek, "cert_chain.pem", pki.askArkPem());
    X509Certificate vcekCert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(vcek));
    BareSignature bare =
        BareSignature.lightweight(
            "secp384r1",
            BareSignature.point(vcekCert.getPublicKey()),
            Arrays.copyOf(report, 0x2A0),
            littleEndian(report, 0x2A0, 72),
            littleEndian(report, 0x2E8, 72));
    return complete(
        "sev-snp",
        report,
        collateral,
        Map.of("chipId", HEX.formatHex(chip)),
        List.of("measurement"),
        NOW,
        pki.root(),
        bare);
  }

  /** A v4 quote signed by a test platform's attestation key, with Intel's real collateral. */
  static FormatCase tdx() throws Exception {
    TestTdxQuotes platform = new TestTdxQuotes();
    byte[] quote = platform.quote(padded64(reportData()), false);
    BareSignature bare =
        BareSignature.lightweight(
            "secp256r1",
            concat(new byte[] {4}, Arrays.copyOfRange(quote, 700, 764)),
            Arrays.copyOf(quote, 48 + 584),
            new BigInteger(1, Arrays.copyOfRange(quote, 636, 668)),
            new BigInteger(1, Arrays.copyOfRange(quote, 668, 700)));
    return complete(
        "tdx",
        quote,
        platform.collateral(TestTdxQuotes.VECTOR_TIME),
        Map.of("ppid", TestTdxQuotes.vectorPpid()),
        List.of("mrtd"),
        TestTdxQuotes.VECTOR_TIME,
        platform.root(),
        bare);
  }

  /** A document of a test enclave (ES384, leaf under a test root) binding the report data. */
  static FormatCase nitro() throws Exception {
    TestNitroDocuments docs =
        new TestNitroDocuments(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    byte[] pcr = new byte[48];
    Arrays.fill(pcr, (byte) 0x11);
    byte[] doc = docs.document("i-bench-enc0", Map.of(0, pcr, 1, pcr, 2, pcr), reportData());
    CborDecoder cbor = CborDecoder.strict();
    CoseSign1 cose = CoseSign1.decode(doc, cbor);
    byte[] leafDer = cbor.decode(cose.payload()).get("certificate").orElseThrow().asBytes();
    X509Certificate leaf =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(leafDer));
    byte[] raw = cose.signature();
    BareSignature bare =
        BareSignature.lightweight(
            "secp384r1",
            BareSignature.point(leaf.getPublicKey()),
            cose.sigStructure(),
            new BigInteger(1, Arrays.copyOfRange(raw, 0, 48)),
            new BigInteger(1, Arrays.copyOfRange(raw, 48, 96)));
    return complete(
        "nitro",
        doc,
        Map.of(),
        Map.of("moduleId", "i-bench-enc0"),
        List.of("PCR0", "PCR1", "PCR2"),
        NOW,
        docs.root,
        bare);
  }

  /**
   * The case for {@code evidence}: verified once to read the device identity and the measured
   * values of {@code pinned}, which the device's enrolment and reference set then name, as an
   * operator enrolling the device and recording its known-good measurements would.
   */
  private static FormatCase complete(
      String format,
      byte[] evidence,
      Map<String, byte[]> collateral,
      Map<String, String> enrolment,
      List<String> pinned,
      Instant time,
      X509Certificate root,
      BareSignature bare)
      throws Exception {
    Appraiser.Inputs inputs =
        new Appraiser.Inputs(format, evidence, NONCE, RUNTIME_KEY, LOG, collateral);
    FormatCase probe = new FormatCase(inputs, null, List.of(), time, root, bare);
    Claims claims = probe.verify(probe.verifier());
    Map<String, List<String>> values = new TreeMap<>();
    pinned.forEach(r -> values.put(r, List.of(claims.measurements().get(r))));
    ReferenceSet set = new ReferenceSet(format + "-bench", 1, format, "class:bench", values);
    ObjectNode stored = JSON.valueToTree(enrolment);
    AppraisalRecord.Device device =
        new AppraisalRecord.Device(
            format + "-bench-1",
            format,
            claims.deviceIdentity(),
            HEX.formatHex(ReportData.sha256().digest(CanonicalJson.canonicalize(stored))),
            Map.of("class", "bench"),
            time.minus(Duration.ofDays(1)));
    return new FormatCase(
        inputs, new Appraiser.Enrolled(device, stored), List.of(set), time, root, bare);
  }

  /** The report data the evidence binds: nonce, runtime key and measurement log. */
  static byte[] reportData() {
    return ReportData.ofLog(NONCE, RUNTIME_KEY, LOG);
  }

  private static byte[] padded64(byte[] reportData) {
    return Arrays.copyOf(reportData, 64);
  }

  private static BigInteger littleEndian(byte[] b, int from, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = b[from + length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A one-line measurement log: the SHA-256 of {@code name}, then the name. */
  private static byte[] log(String name) {
    return (HEX.formatHex(ReportData.sha256().digest(name.getBytes(StandardCharsets.UTF_8)))
            + " "
            + name
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
