// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Tells a person what the demo is doing: numbered steps, what each one proves, how long it took,
 * progress while a long step waits, and a closing summary table. Plain text that reads well in a CI
 * log; on an interactive terminal progress rewrites one line and results are coloured, never
 * otherwise. Thread safe (progress may come from another thread).
 *
 * <pre>{@code
 * Narrator n = Narrator.toConsole(5);
 * try (Narrator.Step s = n.step("Start Keycloak", "people log in with a real OpenID provider")) {
 *   RunningKeycloak kc = launcher.start(stack, s.waiting("Keycloak"));
 *   s.ok("realm arca at " + kc.realmUrl());
 * }
 * n.summary();
 * }</pre>
 */
public final class Narrator {

  /** Seconds between progress lines when the output is not a terminal. */
  static final long QUIET_PROGRESS_SECONDS = 5;

  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private final PrintWriter out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final int plannedSteps;
  private final long startNanos;
  private final List<Step> steps = new ArrayList<>();
  private boolean midLine; // a progress line without its newline is on screen

  /**
   * @param out where to write; flushed after every line
   * @param terminal true only for an interactive terminal: enables line rewriting and colour
   * @param nanoTime clock for elapsed times ({@code System::nanoTime}; a fake one in tests)
   * @param plannedSteps total number of steps to show as "Step 2 of 5", or 0 to show "Step 2"
   */
  public Narrator(Writer out, boolean terminal, LongSupplier nanoTime, int plannedSteps) {
    this.out = out instanceof PrintWriter printWriter ? printWriter : new PrintWriter(out);
    this.terminal = terminal;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.plannedSteps = plannedSteps;
    this.startNanos = nanoTime.getAsLong();
  }

  /**
   * A narrator on stdout; interactive features only when a console is attached and TERM is not
   * dumb.
   */
  // Built for Java 17, where System.console() is null exactly when there is no terminal.
  @SuppressWarnings("SystemConsoleNull")
  public static Narrator toConsole(int plannedSteps) {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return new Narrator(
        new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, UTF_8)), true),
        terminal,
        System::nanoTime,
        plannedSteps);
  }

  /** A heading line, e.g. the demo's title. */
  public synchronized void title(String text) {
    line(bold(text));
    line("=".repeat(text.length()));
  }

  /** A free-standing remark between steps (e.g. "swtpm not installed: using the dev attester"). */
  public synchronized void note(String text) {
    line("  " + text);
  }

  /**
   * Begins a numbered step and prints its title and what it proves. Close it (try-with-resources)
   * after {@link Step#ok} or {@link Step#fail}; a step closed without either is reported failed.
   */
  public synchronized Step step(String title, String proves) {
    Step step = new Step(steps.size() + 1, title);
    steps.add(step);
    line("");
    String number =
        plannedSteps > 0 ? "Step " + step.number + " of " + plannedSteps : "Step " + step.number;
    line(bold(number + ": " + title));
    if (proves != null && !proves.isEmpty()) {
      line("  Proves: " + proves);
    }
    return step;
  }

  /**
   * Prints the table of all steps: number, title, result, time, detail; then the total time.
   *
   * @return the number of steps that did not end ok
   */
  public synchronized int summary() {
    int width = "Step".length();
    for (Step s : steps) {
      width = Math.max(width, s.title.length());
    }
    line("");
    line(bold("Summary"));
    String format = "%-3s %-" + width + "s  %-6s  %8s  %s";
    line(
        String.format(Locale.ROOT, format, "#", "Step", "Result", "Time", "Detail")
            .stripTrailing());
    int failed = 0;
    for (Step s : steps) {
      String result = s.state == State.OK ? "ok" : "FAILED";
      if (s.state != State.OK) {
        failed++;
      }
      String row =
          String.format(
              Locale.ROOT,
              format,
              s.number,
              s.title,
              result,
              seconds(s.elapsed()),
              s.detail == null ? "" : s.detail);
      line(row.stripTrailing());
    }
    line(
        (failed == 0
                ? colour(GREEN, "All " + steps.size() + " steps ok")
                : colour(RED, failed + " of " + steps.size() + " steps failed"))
            + " in "
            + seconds(Duration.ofNanos(nanoTime.getAsLong() - startNanos))
            + ".");
    return failed;
  }

  private enum State {
    RUNNING,
    OK,
    FAILED
  }

  /** One numbered step; obtain from {@link Narrator#step}. */
  public final class Step implements AutoCloseable {

    private final int number;
    private final String title;
    private final long started;
    private long ended;
    private State state = State.RUNNING;
    private String detail;
    private int lastPercentTenth = -1;

    private Step(int number, String title) {
      this.number = number;
      this.title = title;
      this.started = nanoTime.getAsLong();
    }

    /** A detail line under the step. */
    public void note(String text) {
      synchronized (Narrator.this) {
        line("  - " + text);
      }
    }

    /**
     * A {@link ReadinessListener} that shows "waiting for {@code what} (12 s)": rewritten in place
     * on a terminal, else a line every {@value Narrator#QUIET_PROGRESS_SECONDS} s.
     */
    public ReadinessListener waiting(String what) {
      long[] lastShown = {0}; // per listener: each wait restarts its elapsed time at zero
      return elapsed -> {
        synchronized (Narrator.this) {
          long s = elapsed.toSeconds();
          if (terminal) {
            progressLine("  ... waiting for " + what + " (" + s + " s)");
          } else if (s - lastShown[0] >= QUIET_PROGRESS_SECONDS) {
            lastShown[0] = s;
            line("  ... waiting for " + what + " (" + s + " s)");
          }
        }
      };
    }

    /**
     * Progress of a measurable step (bytes sealed, uploaded): a bar on a terminal, else a line at
     * each further 10 %.
     *
     * @param unit shown after the counts, e.g. "MiB"; counts are printed as given
     */
    public void progress(long done, long total, String unit) {
      synchronized (Narrator.this) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        String counts = done + "/" + total + (unit == null || unit.isEmpty() ? "" : " " + unit);
        if (terminal) {
          int filled = percent / 5;
          progressLine(
              "  ["
                  + "#".repeat(filled)
                  + ".".repeat(20 - filled)
                  + "] "
                  + percent
                  + "% "
                  + counts);
        } else if (percent / 10 > lastPercentTenth) {
          lastPercentTenth = percent / 10;
          line("  ... " + percent + "% (" + counts + ")");
        }
      }
    }

    /** Ends the step successfully; {@code result} is shown now and in the summary. */
    public void ok(String result) {
      end(State.OK, result);
    }

    /** Ends the step as failed with a reason a person can act on. */
    public void fail(String reason) {
      end(State.FAILED, reason);
    }

    /** Whether {@link #ok} was called. */
    public boolean succeeded() {
      synchronized (Narrator.this) {
        return state == State.OK;
      }
    }

    /** Marks the step failed ("did not finish") unless it already ended. */
    @Override
    public void close() {
      synchronized (Narrator.this) {
        if (state == State.RUNNING) {
          end(State.FAILED, "did not finish");
        }
      }
    }

    private void end(State newState, String text) {
      synchronized (Narrator.this) {
        if (state != State.RUNNING) {
          throw new IllegalStateException("step " + number + " already ended");
        }
        state = newState;
        ended = nanoTime.getAsLong();
        detail = text;
        String word = newState == State.OK ? colour(GREEN, "ok") : colour(RED, "FAILED");
        line(
            "  "
                + word
                + " ("
                + seconds(elapsed())
                + ")"
                + (text == null || text.isEmpty() ? "" : ": " + text));
      }
    }

    private Duration elapsed() {
      return Duration.ofNanos((state == State.RUNNING ? nanoTime.getAsLong() : ended) - started);
    }
  }

  private void progressLine(String text) {
    out.print("\r" + text + "\u001b[K");
    out.flush();
    midLine = true;
  }

  private void line(String text) {
    if (midLine) {
      out.println();
      midLine = false;
    }
    out.println(text);
    out.flush();
  }

  private String bold(String text) {
    return terminal ? BOLD + text + RESET : text;
  }

  private String colour(String colour, String text) {
    return terminal ? colour + text + RESET : text;
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
