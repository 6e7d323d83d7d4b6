// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import dev.arca.cli.adminapi.UploadProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A long step's progress on one terminal line of standard error ({@code \r}-rewritten), for a
 * person watching; silent when standard error is not a terminal (CI logs, pipes) and with {@code
 * --json}, so scripts see exactly what they saw before.
 *
 * <p>Whether a terminal is there is {@link System#console()}'s answer, unless the system property
 * {@value #MODE_PROPERTY} says {@code always} or {@code never} (tests; {@code ARCA_JAVA_OPTS}).
 * Redraws only when the percentage changes, so a million small updates cost a hundred writes.
 */
public final class Progress implements UploadProgress {
  /** System property overriding terminal detection: {@code always}, {@code never} or auto. */
  public static final String MODE_PROPERTY = "arca.progress";

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final String noun;
  private final boolean enabled;
  private int lastPercent = -1;

  private Progress(PrintWriter err, String label, String noun, boolean enabled) {
    this.err = err;
    this.label = label;
    this.noun = noun;
    this.enabled = enabled;
  }

  /**
   * Progress in bytes (shown in MiB) of the step {@code label}, a verb such as "sealing"; shown on
   * a terminal unless the command prints JSON.
   */
  public static Progress ofBytes(PrintWriter err, String label, boolean json) {
    return new Progress(err, label, null, !json && terminal());
  }

  /**
   * Progress in counted things ({@code noun}, plural, e.g. "entries") of the step {@code label}.
   */
  public static Progress ofCount(PrintWriter err, String label, String noun, boolean json) {
    return new Progress(err, label, noun, !json && terminal());
  }

  /** Whether progress would be shown to a command without {@code --json}. */
  // The build targets Java 17, where System.console() is null exactly when not on a terminal.
  @SuppressWarnings("SystemConsoleNull")
  public static boolean terminal() {
    String mode = System.getProperty(MODE_PROPERTY, "auto").toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "always" -> true;
      case "never" -> false;
      default -> System.console() != null;
    };
  }

  /** {@code done} of {@code total} finished; a total of 0 or less shows nothing. */
  public void update(long done, long total) {
    if (!enabled || total <= 0) {
      return;
    }
    int percent = (int) (Math.min(done, total) * 100 / total);
    if (percent == lastPercent) {
      return;
    }
    lastPercent = percent;
    int filled = percent * WIDTH / 100;
    err.print(
        "\r  "
            + label
            + " ["
            + "#".repeat(filled)
            + " ".repeat(WIDTH - filled)
            + "] "
            + percent
            + "% of "
            + amount(total));
    err.flush();
  }

  @Override
  public void sent(long sent, long total) {
    update(sent, total);
  }

  /** Ends the progress line, if one was drawn, so the next output starts on a line of its own. */
  public void finish() {
    if (enabled && lastPercent >= 0) {
      err.println();
      err.flush();
      lastPercent = -1;
    }
  }

  private String amount(long total) {
    return noun == null
        ? String.format(Locale.ROOT, "%.1f MiB", total / (1024.0 * 1024.0))
        : total + " " + noun;
  }
}
