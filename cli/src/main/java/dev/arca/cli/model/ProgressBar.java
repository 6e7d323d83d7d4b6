// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import dev.arca.cli.adminapi.UploadProgress;
import java.io.PrintWriter;

/** A one-line upload progress bar on a terminal; silent otherwise (CI logs, --json). */
final class ProgressBar implements UploadProgress {
  private final PrintWriter err;
  private final boolean enabled;
  private int lastPercent = -1;

  ProgressBar(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  @Override
  public void sent(long sent, long total) {
    if (!enabled || total <= 0) {
      return;
    }
    int percent = (int) (sent * 100 / total);
    if (percent == lastPercent) {
      return;
    }
    lastPercent = percent;
    int filled = percent * 30 / 100;
    err.print(
        "\r  uploading ["
            + "#".repeat(filled)
            + " ".repeat(30 - filled)
            + "] "
            + percent
            + "% of "
            + (total / (1024 * 1024))
            + " MiB");
    err.flush();
  }

  void done() {
    if (enabled && lastPercent >= 0) {
      err.println();
    }
  }
}
