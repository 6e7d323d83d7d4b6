// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.evidence.BuiltinFormats;
import dev.arca.evidence.Claims;
import dev.arca.evidence.ClaimsJson;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceFiles;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failure;
import dev.arca.evidence.VerificationContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca evidence verify}: verifies one piece of evidence with the same verifiers the service
 * uses and prints one JSON object {@code {format, verified, claims, errors}}.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify evidence and print {format, verified, claims, errors} as JSON.",
      "Exit 0 when verified, 1 when read but not verified, 2 on usage or I/O errors."
    })
public final class EvidenceVerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Printed to stderr when neither --nonce nor --report-data is given. */
  static final String UNBOUND_WARNING =
      "arca: warning: no --nonce or --report-data given; no binding was checked, so this evidence"
          + " may be a replay or made for another key (offline inspection only)";

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      required = true,
      description = "Evidence format: ${COMPLETION-CANDIDATES}",
      completionCandidates = FormatNames.class)
  String format;

  @Option(
      names = "--evidence",
      required = true,
      description = "Evidence file, or folder for formats made of several files.")
  Path evidence;

  @Option(
      names = "--nonce",
      description =
          "Expected challenge, hex. Without --nonce or --report-data no binding is checked.")
  String nonce;

  @Option(
      names = "--report-data",
      description = "Exact expected report data, hex (not with --nonce).")
  String reportData;

  @Option(
      names = "--at",
      description = "Verify at this ISO-8601 instant (default: now).",
      converter = InstantConverter.class)
  Instant at;

  @Option(
      names = "--trust-anchors",
      description =
          "Root certificates or a PEM public key (file or folder), added to pinned roots.")
  Path trustAnchors;

  @Option(
      names = "--replace-pinned-roots",
      description = "Use only --trust-anchors, not the roots pinned in Arca (test CAs).")
  boolean replacePinnedRoots;

  @Option(names = "--collateral", description = "Folder of collateral files (VCEK, TCB info, ...).")
  Path collateral;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    EvidenceVerifier verifier;
    VerificationContext context;
    byte[] bytes;
    try {
      verifier = BuiltinFormats.registry().require(format);
      Instant time = at == null ? Instant.now() : at;
      VerificationContext.Builder b;
      if (nonce != null && reportData != null) {
        throw new IllegalArgumentException(
            "give either --nonce or --report-data, not both: a verification checks one binding");
      } else if (nonce != null) {
        b = VerificationContext.expectingNonce(time, hex(nonce, "--nonce"));
      } else if (reportData != null) {
        b = VerificationContext.expectingReportData(time, hex(reportData, "--report-data"));
      } else {
        b = VerificationContext.insecureWithoutBinding(time);
        spec.commandLine().getErr().println(UNBOUND_WARNING);
      }
      b.replacePinnedAnchors(replacePinnedRoots);
      if (trustAnchors != null) {
        EvidenceFiles.addTrustAnchors(trustAnchors, b);
      }
      if (collateral != null) {
        EvidenceFiles.addCollateral(collateral, b);
      }
      context = b.build();
      bytes = verifier.readEvidence(evidence);
    } catch (EvidenceException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    }

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("format", format);
    try {
      Claims claims = verifier.verify(bytes, context);
      report.put("verified", true);
      report.put("claims", ClaimsJson.toMap(claims));
      report.put("errors", List.of());
      out.println(JSON.writeValueAsString(report));
      return ExitCode.OK;
    } catch (EvidenceException e) {
      report.put("verified", false);
      report.put("claims", null);
      report.put("errors", e.failures().stream().map(Failure::toJsonMembers).toList());
      out.println(JSON.writeValueAsString(report));
      return ExitCode.FAILED;
    }
  }

  private static byte[] hex(String value, String option) {
    try {
      return HexFormat.of().parseHex(value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " must be hex (e.g. 0a1b2c): " + e.getMessage());
    }
  }

  /** The built-in format names, for help and completion. */
  static final class FormatNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return BuiltinFormats.registry().names().iterator();
    }
  }

  /** Parses ISO-8601 instants with a message that says what is expected. */
  static final class InstantConverter implements picocli.CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant such as 2024-09-07T14:37:39Z");
      }
    }
  }
}
