// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.adminapi;

/** Told how many bytes of an upload have been sent, for a progress bar. */
@FunctionalInterface
public interface UploadProgress {
  /** No progress reporting. */
  UploadProgress NONE = (sent, total) -> {};

  /** Called as bytes go out; {@code total} is the full size. */
  void sent(long sent, long total);
}
