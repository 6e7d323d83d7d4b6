package dev.arca.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, or "dev" when run from classes. */
final class ArcaVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Arca.class.getPackage().getImplementationVersion();
    return new String[] {"arca " + (v == null ? "dev" : v)};
  }
}
