// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import dev.arca.transparency.TransparencyException;

/**
 * The served log does not match what it signed or what was trusted before. Ids:
 *
 * <ul>
 *   <li>{@code audit.entry-mismatch}: entry {@link #entryIndex()} does not hash to the leaf hash in
 *       its tile (changed, deleted, inserted or reordered entries)
 *   <li>{@code audit.root-mismatch}: the entries do not hash to the checkpoint's root
 *   <li>{@code audit.inconsistent}: the new checkpoint does not extend the trusted one (a fork or a
 *       rewritten history)
 *   <li>{@code audit.rollback}: the new checkpoint is smaller than the trusted one
 *   <li>{@code audit.entry-rejected}: the caller's entry check refused entry {@link #entryIndex()}
 * </ul>
 */
public final class LogAuditException extends TransparencyException {
  private static final long serialVersionUID = 1L;

  private final long entryIndex;

  /**
   * @param entryIndex the first bad entry, or -1 if the failure is not tied to one entry
   */
  public LogAuditException(String id, String message, long entryIndex, Throwable cause) {
    super(id, message, cause);
    this.entryIndex = entryIndex;
  }

  /** The first bad entry's index, or -1 if the failure concerns the log as a whole. */
  public long entryIndex() {
    return entryIndex;
  }
}
