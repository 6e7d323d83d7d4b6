// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The service's own build: its version and the git commit it was built from, read from {@code
 * build.properties} (written by the build's git-commit-id plugin). EAR tokens name it in {@code
 * ear.verifier-id.build}, so a relying party or auditor knows which verifier code appraised.
 *
 * @param version the Maven project version, or {@code unknown}
 * @param commit the abbreviated commit id, with {@code +changes} when the tree was dirty, or {@code
 *     unknown} when built without git
 */
public record ServiceBuild(String version, String commit) {

  /** The build of the running service. */
  public static ServiceBuild current() {
    Properties p = new Properties();
    try (InputStream in = ServiceBuild.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("build.properties is unreadable", e);
    }
    return of(p);
  }

  /** The build described by git-commit-id's properties (missing ones read as unknown). */
  static ServiceBuild of(Properties p) {
    String commit = p.getProperty("git.commit.id.abbrev", "");
    return new ServiceBuild(
        p.getProperty("git.build.version", "unknown"),
        commit.isEmpty()
            ? "unknown"
            : commit + ("true".equals(p.getProperty("git.dirty")) ? "+changes" : ""));
  }

  /**
   * The {@code ear.verifier-id.build} string: {@code arca-attestation-service <version> (commit
   * <commit>)}.
   */
  public String verifierBuild() {
    return "arca-attestation-service " + version + " (commit " + commit + ")";
  }
}
