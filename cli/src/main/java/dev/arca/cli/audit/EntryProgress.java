// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import dev.arca.cli.Progress;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.log.LogAuditor;

/**
 * Counts the entries an audit has checked on a {@link Progress} line. The total (the checkpoint's
 * size minus the first entry) is known once {@link LogAuditor} has read and verified the
 * checkpoint, that is by the first entry.
 */
final class EntryProgress implements LogAuditor.EntryCheck {
  private final LogAuditor.EntryCheck check;
  private final Progress progress;
  private final LogSource source;
  private final CheckpointVerifier verifier;
  private final long from;
  private long total = -1;

  EntryProgress(
      LogAuditor.EntryCheck check,
      Progress progress,
      LogSource source,
      CheckpointVerifier verifier,
      long from) {
    this.check = check;
    this.progress = progress;
    this.source = source;
    this.verifier = verifier;
    this.from = from;
  }

  @Override
  public void check(long index, byte[] entry) throws TransparencyException {
    check.check(index, entry);
    if (total < 0) {
      total = verifier.verify(source.lastCheckpoint()).size() - from;
    }
    progress.update(index - from + 1, total);
  }

  /** Ends the progress line, if one was drawn. */
  void finish() {
    progress.finish();
  }
}
