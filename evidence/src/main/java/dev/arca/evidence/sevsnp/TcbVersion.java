// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoded SEV-SNP TCB_VERSION: the security patch levels (SPLs) of the firmware components.
 *
 * <p>Layout (SEV-SNP ABI spec, "TCB_VERSION"): Milan and Genoa store BOOT_LOADER, TEE, four
 * reserved bytes, SNP, MICROCODE (bytes 0..7); Turin stores FMC, BOOT_LOADER, TEE, SNP, three
 * reserved bytes, MICROCODE. {@code fmc} is -1 on products without it.
 *
 * @param raw the 64-bit value as stored (little-endian in the report)
 */
public record TcbVersion(
    long raw, int fmc, int bootLoader, int tee, int snp, int microcode, boolean reservedNonZero) {

  /** Decodes {@code raw} with the layout of {@code product}. */
  public static TcbVersion decode(long raw, Product product) {
    int[] b = new int[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (int) ((raw >>> (8 * i)) & 0xff);
    }
    if (product.hasFmc()) {
      return new TcbVersion(raw, b[0], b[1], b[2], b[3], b[7], (b[4] | b[5] | b[6]) != 0);
    }
    return new TcbVersion(raw, -1, b[0], b[1], b[6], b[7], (b[2] | b[3] | b[4] | b[5]) != 0);
  }

  /** The names of {@code product}'s components, in {@link #asMap()} order. */
  public static java.util.List<String> components(Product product) {
    return product.hasFmc()
        ? java.util.List.of("fmc", "bootloader", "tee", "snp", "microcode")
        : java.util.List.of("bootloader", "tee", "snp", "microcode");
  }

  /** The SPLs by name, for claims. */
  public Map<String, Integer> asMap() {
    Map<String, Integer> m = new LinkedHashMap<>();
    if (fmc >= 0) {
      m.put("fmc", fmc);
    }
    m.put("bootloader", bootLoader);
    m.put("tee", tee);
    m.put("snp", snp);
    m.put("microcode", microcode);
    return m;
  }

  /** The raw value as 16 hex digits in report byte order (as AMD's key server names it). */
  public String hex() {
    StringBuilder sb = new StringBuilder(16);
    for (int i = 0; i < 8; i++) {
      sb.append(String.format("%02x", (raw >>> (8 * i)) & 0xff));
    }
    return sb.toString();
  }
}
