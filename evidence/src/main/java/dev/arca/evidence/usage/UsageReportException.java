// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.usage;

/** A usage report that cannot be read: the message says which field and why. */
public final class UsageReportException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageReportException(String message) {
    super(message);
  }
}
