// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code arca --version}: the build's version and the commit it was built from, with {@code
 * +changes} when the working tree had uncommitted changes (from {@code build.properties}, which the
 * build writes; "unknown" where it was built without git).
 */
final class ArcaVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {line(build())};
  }

  static String line(Properties p) {
    String commit = p.getProperty("git.commit.id.abbrev", "");
    String from =
        commit.isEmpty()
            ? "unknown"
            : commit + ("true".equals(p.getProperty("git.dirty")) ? "+changes" : "");
    return "arca " + p.getProperty("git.build.version", "unknown") + " (commit " + from + ")";
  }

  private static Properties build() {
    Properties p = new Properties();
    try (InputStream in = ArcaVersion.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // an unreadable resource: report the version as unknown
    }
    return p;
  }
}
