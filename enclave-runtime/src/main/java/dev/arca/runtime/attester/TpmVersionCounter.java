// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import dev.arca.runtime.update.VersionCounter;
import dev.arca.tpm.Tpm2Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;

/**
 * Version floors in TPM NV counters, one per model, defined under the owner hierarchy on first use
 * at index {@code 0x012A0000} plus the first two bytes of SHA-256 of {@code arca/version-floor/}
 * and the model id (in the TCG range for the owner's indices). A counter only counts up, and the
 * TPM starts a deleted-and-redefined counter no lower than the highest deleted one, so neither a
 * restored state folder nor deleting the index lowers a floor. Two models whose ids share the two
 * bytes share a counter: the higher floor then binds both (fail closed).
 *
 * <p>A counter rises one step per TPM command, so a jump of more than {@value #MAX_STEP} versions
 * at once is refused (Arca versions count up by one per release).
 */
final class TpmVersionCounter implements VersionCounter {
  /** The largest rise counted in one go. */
  static final int MAX_STEP = 1024;

  private static final int BASE = 0x012A0000;
  private final Tpm2Tools tools;

  TpmVersionCounter(Tpm2Tools tools) {
    this.tools = tools;
  }

  /** The NV index of a model's counter. */
  static int index(String modelId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(("arca/version-floor/" + modelId).getBytes(StandardCharsets.UTF_8));
      return BASE | ((h[0] & 0xff) << 8) | (h[1] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  @Override
  public OptionalLong value(String modelId) throws IOException {
    return tools.nvCounter(index(modelId));
  }

  @Override
  public void raiseTo(String modelId, long version) throws IOException {
    int index = index(modelId);
    long now = tools.nvCounter(index).orElse(0);
    if (version - now > MAX_STEP) {
      throw new IOException(
          "model "
              + modelId
              + " version "
              + version
              + " is more than "
              + MAX_STEP
              + " versions above its TPM counter ("
              + now
              + "); the counter rises one step per TPM command");
    }
    while (now < version) {
      now = tools.nvIncrement(index);
    }
  }
}
