// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SoftHSM2 token for tests: the PKCS#11 HSM the service's KEK can live in. SoftHSM reads its
 * configuration file from the environment variable {@value #CONF_ENV} when a process first loads
 * the library, so the file's place is fixed for the whole JVM (the build sets the variable for the
 * test JVMs, which child processes inherit); {@link #token} writes that file, pointing at a token
 * folder beside it, and initializes one token there, once.
 *
 * <p>Test equipment, like {@link Swtpm}: a real HSM is configured the same way (library, slot, PIN
 * file), with its own keys.
 */
public final class SoftHsm {
  /** The variable SoftHSM reads its configuration file's path from. */
  public static final String CONF_ENV = "SOFTHSM2_CONF";

  /** Set to {@code true} where a test must fail, not skip, without SoftHSM (.ci/run sets it). */
  public static final String REQUIRED_ENV = "ARCA_REQUIRE_SOFTHSM";

  /** Where Debian's softhsm2 package puts the PKCS#11 library. */
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  /** The label of the test token. */
  public static final String TOKEN_LABEL = "arca-test";

  private static final String PIN = "1234";

  private SoftHsm() {}

  /**
   * An initialized token: the PKCS#11 library, the index of the token in its slot list, and a file
   * holding the user PIN.
   */
  public record Token(Path library, int slotListIndex, Path pinFile) {
    /**
     * The token opened and logged into through a SunPKCS11 provider of the caller's own, named
     * {@code name}: how a test plays the HSM's administrator, or an insider holding the PIN.
     */
    public KeyStore openedAs(String name) throws IOException, GeneralSecurityException {
      Provider p =
          Security.getProvider("SunPKCS11")
              .configure(
                  "--name="
                      + name
                      + "\nlibrary="
                      + library
                      + "\nslotListIndex="
                      + slotListIndex
                      + "\n");
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, Files.readString(pinFile).trim().toCharArray());
      return ks;
    }
  }

  /**
   * What is missing for a SoftHSM test (the library, {@code softhsm2-util}, {@value #CONF_ENV});
   * empty when a token can be made. Where {@value #REQUIRED_ENV}{@code =true} (CI), anything
   * missing is an error instead.
   *
   * @throws IllegalStateException if something is missing where SoftHSM is required
   */
  public static List<String> missingToolsForTests() {
    List<String> missing = new ArrayList<>(Executables.missing(List.of("softhsm2-util")));
    if (!Files.isRegularFile(LIBRARY)) {
      missing.add(LIBRARY.toString());
    }
    if (System.getenv(CONF_ENV) == null) {
      missing.add("the environment variable " + CONF_ENV);
    }
    if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv(REQUIRED_ENV))) {
      throw new IllegalStateException(
          REQUIRED_ENV
              + "=true but "
              + String.join(", ", missing)
              + " not found: install the Debian package softhsm2");
    }
    return missing;
  }

  /**
   * The test token, made on first use: the configuration file named by {@value #CONF_ENV}, a token
   * folder beside it and one token labelled {@value #TOKEN_LABEL}. A token left by an earlier run
   * in the same folder is used as it is.
   *
   * @throws DevStackException if the token cannot be made
   */
  public static synchronized Token token() throws DevStackException {
    String conf = System.getenv(CONF_ENV);
    if (conf == null) {
      throw new DevStackException(
          DevStackException.MISSING, CONF_ENV + " is not set: SoftHSM would use its system tokens");
    }
    Path confFile = Path.of(conf).toAbsolutePath();
    Path tokens = confFile.resolveSibling("tokens");
    Path pinFile = confFile.resolveSibling("user.pin");
    try {
      Files.createDirectories(tokens);
      Files.writeString(
          confFile,
          "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
          StandardCharsets.UTF_8);
      Files.writeString(pinFile, PIN + "\n", StandardCharsets.UTF_8);
      boolean initialized;
      try (var s = Files.list(tokens)) {
        initialized = s.findAny().isPresent();
      }
      if (!initialized) {
        run(
            confFile,
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--pin",
            PIN,
            "--so-pin",
            "5678");
      }
    } catch (IOException e) {
      throw new DevStackException(
          DevStackException.START_FAILED, "cannot make the SoftHSM token in " + tokens, e);
    }
    return new Token(LIBRARY, 0, pinFile);
  }

  private static void run(Path confFile, String... command) throws IOException, DevStackException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put(CONF_ENV, confFile.toString());
    Process p = pb.start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new DevStackException(
            DevStackException.START_FAILED, String.join(" ", command) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException(
          DevStackException.INTERRUPTED, "interrupted while running " + command[0], e);
    } finally {
      p.destroy();
    }
  }
}
