// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

/**
 * The process exit codes of every {@code arca} command (a script branches on them): its own class,
 * so that subcommands need not import the root command that lists them.
 */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;

  /** The input was read but did not verify, or a check failed. */
  public static final int FAILED = 1;

  /** Usage and I/O errors. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
