// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;

/**
 * The confidential-VM attester: one class for AMD SEV-SNP, Intel TDX and Arm CCA guests, through
 * the Linux kernel's configfs-tsm report interface (Documentation/ABI/testing/configfs-tsm; {@code
 * CONFIG_TSM_REPORTS}, Linux 6.7+). Per request it creates a fresh directory {@code
 * <tsm>/report/arca-<random>}, reads {@code generation}, writes the report data to {@code inblob}
 * (and {@code privlevel} when configured), reads {@code outblob}, checks that {@code generation}
 * advanced by exactly its own writes (the ABI's guard against a concurrent writer of the same
 * directory; on a mismatch it retries with a fresh directory, then fails), and removes the
 * directory.
 *
 * <p>The kernel's {@code provider} names the guest driver and so the evidence format: {@code
 * sev_guest} gives an SEV-SNP attestation report ({@code sev-snp}), {@code tdx_guest} a TDX quote
 * ({@code tdx}), {@code arm_cca_guest} a CCA attestation token ({@code cca}); any other provider is
 * refused when the attester opens.
 *
 * <p>Report data: {@code inblob} is always written as 64 bytes, the report data followed by zeros.
 * Arca's report data is 32 bytes; the CCA verifier compares a shorter expectation with the realm
 * challenge zero-padded to 64 bytes in the same way. {@code outblob} alone is the evidence. For
 * SEV-SNP the kernel also offers the VCEK certificate table in {@code auxblob}, but the {@code
 * sev-snp} format takes the VCEK from the verifier's collateral or VCEK cache, not from the
 * evidence, so it is not shipped.
 *
 * <p>Tested against a configfs-tsm-shaped directory only; not yet run on real hardware.
 */
public final class ConfigfsTsmAttester implements Attester {
  /** Where configfs-tsm lives when configfs is mounted at its usual place. */
  public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm");

  /** The size of {@code inblob} every provider takes (SEV-SNP REPORT_DATA, TDX REPORTDATA). */
  public static final int INBLOB_BYTES = 64;

  /** configfs-tsm provider name to Arca evidence format. */
  public static final Map<String, String> FORMATS =
      Map.of("sev_guest", "sev-snp", "tdx_guest", "tdx", "arm_cca_guest", "cca");

  /** Fresh directories tried when another writer keeps changing {@code generation}. */
  static final int ATTEMPTS = 3;

  private static final HexFormat HEX = HexFormat.of();
  private final SecureRandom random = new SecureRandom();
  private final Path reportRoot;
  private final ReportDirectories dirs;
  private final String provider;
  private final String deviceId;
  private final Integer privlevel;

  private ConfigfsTsmAttester(
      Path reportRoot,
      ReportDirectories dirs,
      String provider,
      String deviceId,
      Integer privlevel) {
    this.reportRoot = reportRoot;
    this.dirs = dirs;
    this.provider = provider;
    this.deviceId = deviceId;
    this.privlevel = privlevel;
  }

  /**
   * Opens configfs-tsm at {@code tsmRoot} and learns the provider from a probe report directory.
   *
   * @param tsmRoot the configfs-tsm directory, normally {@link #DEFAULT_ROOT}
   * @param deviceId the id the device is enrolled under at the service
   * @param privlevel the {@code privlevel} to request (SEV-SNP VMPL, 0-3), or null to leave the
   *     kernel's default
   * @throws IOException when there is no report interface at {@code tsmRoot} or its provider is not
   *     one this build knows
   */
  public static ConfigfsTsmAttester open(Path tsmRoot, String deviceId, Integer privlevel)
      throws IOException {
    return open(tsmRoot, deviceId, privlevel, ReportDirectories.KERNEL);
  }

  static ConfigfsTsmAttester open(
      Path tsmRoot, String deviceId, Integer privlevel, ReportDirectories dirs) throws IOException {
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("the configfs-tsm attester needs the enrolled device id");
    }
    Path reportRoot = tsmRoot.resolve("report");
    if (!Files.isDirectory(reportRoot)) {
      throw new IOException(
          "no configfs-tsm report interface at "
              + reportRoot
              + ": the guest kernel needs CONFIG_TSM_REPORTS (Linux 6.7+) with its guest driver"
              + " (sev-guest, tdx-guest or arm-cca-guest) loaded, and configfs mounted at"
              + " /sys/kernel/config");
    }
    ConfigfsTsmAttester probe =
        new ConfigfsTsmAttester(reportRoot, dirs, null, deviceId, privlevel);
    String provider = probe.withReportDir(dir -> readText(dir.resolve("provider")));
    if (!FORMATS.containsKey(provider)) {
      throw new IOException(
          "configfs-tsm provider '"
              + provider
              + "' at "
              + reportRoot
              + " is not supported; this build knows: "
              + String.join(", ", new TreeSet<>(FORMATS.keySet())));
    }
    return new ConfigfsTsmAttester(reportRoot, dirs, provider, deviceId, privlevel);
  }

  /** The kernel's provider name ({@code sev_guest}, {@code tdx_guest}, {@code arm_cca_guest}). */
  public String provider() {
    return provider;
  }

  @Override
  public String format() {
    return FORMATS.get(provider);
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  /**
   * Writes {@code reportData}, zero-padded to 64 bytes, as {@code inblob} and returns {@code
   * outblob}.
   *
   * @throws IllegalArgumentException when {@code reportData} is empty or longer than 64 bytes
   * @throws IOException when the kernel refuses, the provider changed, or {@code generation} shows
   *     another writer in every attempt
   */
  @Override
  public byte[] evidence(byte[] reportData) throws IOException {
    if (reportData.length == 0 || reportData.length > INBLOB_BYTES) {
      throw new IllegalArgumentException(
          "configfs-tsm inblob takes 1 to "
              + INBLOB_BYTES
              + " bytes of report data, got "
              + reportData.length);
    }
    byte[] inblob = Arrays.copyOf(reportData, INBLOB_BYTES);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      byte[] out = withReportDir(dir -> report(dir, inblob));
      if (out != null) {
        return out;
      }
    }
    throw new IOException(
        "configfs-tsm report 'generation' changed under Arca's writes in "
            + ATTEMPTS
            + " fresh report directories under "
            + reportRoot
            + ": another process writes to them");
  }

  /** One request in {@code dir}: the outblob, or null when another writer interfered. */
  private byte[] report(Path dir, byte[] inblob) throws IOException {
    String now = readText(dir.resolve("provider"));
    if (!now.equals(provider)) {
      throw new IOException(
          "configfs-tsm provider changed from '" + provider + "' to '" + now + "' in " + dir);
    }
    long before = generation(dir);
    int writes = 0;
    if (privlevel != null) {
      write(dir.resolve("privlevel"), Integer.toString(privlevel).getBytes(StandardCharsets.UTF_8));
      writes++;
    }
    write(dir.resolve("inblob"), inblob);
    writes++;
    byte[] out = read(dir.resolve("outblob"));
    if (generation(dir) != before + writes) {
      return null;
    }
    if (out.length == 0) {
      throw new IOException("configfs-tsm provider " + provider + " returned an empty outblob");
    }
    return out;
  }

  private interface InReportDir<T> {
    T apply(Path dir) throws IOException;
  }

  /** Runs {@code body} in a fresh report directory, removed afterwards. */
  private <T> T withReportDir(InReportDir<T> body) throws IOException {
    byte[] name = new byte[8];
    random.nextBytes(name);
    Path dir = reportRoot.resolve("arca-" + HEX.formatHex(name));
    dirs.create(dir);
    try {
      return body.apply(dir);
    } finally {
      dirs.remove(dir);
    }
  }

  /** One write(2) of the whole value into an existing attribute file (configfs has no O_TRUNC). */
  private static void write(Path attribute, byte[] value) throws IOException {
    try {
      Files.write(attribute, value, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new IOException("configfs-tsm attribute " + attribute + " does not exist", e);
    }
  }

  private static long generation(Path dir) throws IOException {
    String g = readText(dir.resolve("generation"));
    try {
      return Long.parseLong(g);
    } catch (NumberFormatException e) {
      throw new IOException("configfs-tsm generation in " + dir + " is not a number: " + g, e);
    }
  }

  /**
   * Reads an attribute to its end by plain read(2) calls: configfs reports sizes that are not the
   * content's, so no size or seek is relied on.
   */
  private static byte[] read(Path attribute) throws IOException {
    try (InputStream in = Files.newInputStream(attribute)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) != -1; ) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (NoSuchFileException e) {
      throw new IOException("configfs-tsm attribute " + attribute + " does not exist", e);
    }
  }

  private static String readText(Path attribute) throws IOException {
    try {
      return new String(read(attribute), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new IOException("configfs-tsm attribute " + attribute + " does not exist", e);
    }
  }
}
