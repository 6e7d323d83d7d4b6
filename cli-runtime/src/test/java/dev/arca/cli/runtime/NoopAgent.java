// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

/**
 * A Java agent that does nothing: the runtime must refuse to start with any {@code -javaagent},
 * whatever the agent does, because an agent can read every key and model in the heap.
 */
public final class NoopAgent {
  private NoopAgent() {}

  /** Agent entry point; does nothing. */
  public static void premain(String args) {
    // deliberately empty
  }
}
