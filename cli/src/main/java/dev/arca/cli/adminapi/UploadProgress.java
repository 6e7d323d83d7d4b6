// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.adminapi;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Told how many bytes of an upload (or of any stream read) have gone through, for a progress bar.
 */
@FunctionalInterface
public interface UploadProgress {
  /** No progress reporting. */
  UploadProgress NONE = (sent, total) -> {};

  /** Called as bytes go out; {@code total} is the full size. */
  void sent(long sent, long total);

  /**
   * {@code in}, reporting each read to {@link #sent} as progress towards {@code total} bytes;
   * closing it closes {@code in}.
   */
  default InputStream counting(InputStream in, long total) {
    return new FilterInputStream(in) {
      private long count;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          sent(++count, total);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          count += n;
          sent(count, total);
        }
        return n;
      }
    };
  }
}
