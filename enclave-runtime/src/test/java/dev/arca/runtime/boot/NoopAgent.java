// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

/** A Java agent that does nothing: loaded by {@link HardeningProcessTest} through -agentpath. */
public final class NoopAgent {
  private NoopAgent() {}

  public static void premain(String args) {}
}
