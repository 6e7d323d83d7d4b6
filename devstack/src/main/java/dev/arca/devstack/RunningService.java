// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.net.URI;

/**
 * An attestation service started by {@link ServiceProcess}, ready to answer. {@link #close()} stops
 * it (its supervisor also does, at the latest on JVM exit); its data directory stays.
 */
public final class RunningService implements AutoCloseable {

  private final ManagedProcess process;
  private final URI baseUrl;

  RunningService(ManagedProcess process, URI baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** {@code path} resolved against the base URL, e.g. {@code url("/v1/models")}. */
  public URI url(String path) {
    return baseUrl.resolve(path);
  }

  /** The supervised process (pid, log file). */
  public ManagedProcess process() {
    return process;
  }

  /** Stops the service and its process tree. Idempotent. */
  @Override
  public void close() {
    process.stop(ProcessSupervisor.DEFAULT_GRACE);
  }

  @Override
  public String toString() {
    return "attestation service at " + baseUrl + " (" + process + ")";
  }
}
