// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.usage;

import dev.arca.evidence.ReportData;

/**
 * A usage report's bytes with the runtime's signature over them: what a runtime queues and uploads.
 * Its {@link #digest()} names it, so an upload repeated after a lost answer is recognised.
 */
public record SignedUsageReport(byte[] report, byte[] signature) {
  /** Copies both arrays. */
  public SignedUsageReport {
    report = report.clone();
    signature = signature.clone();
  }

  /** Encodes and signs {@code report} with {@code key}. */
  public static SignedUsageReport sign(UsageReport report, UsageKey key) {
    byte[] bytes = report.encode();
    return new SignedUsageReport(bytes, key.sign(bytes));
  }

  @Override
  public byte[] report() {
    return report.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** SHA-256 of the report's bytes. */
  public byte[] digest() {
    return ReportData.sha256().digest(report);
  }

  /**
   * Decodes the report and checks the signature under the key it names. Whether that key is one the
   * device attested is the verifier's to check next.
   *
   * @throws UsageReportException when the report is malformed or the signature is not its key's
   */
  public UsageReport verified() throws UsageReportException {
    UsageReport r = UsageReport.decode(report);
    if (!UsageKey.verify(r.usageKey(), report, signature)) {
      throw new UsageReportException("the signature is not the report's usage key's");
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedUsageReport s
        && java.util.Arrays.equals(report, s.report)
        && java.util.Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(report) + java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedUsageReport[" + report.length + " bytes]";
  }
}
