// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guest policy of an SEV-SNP guest (SEV-SNP ABI spec, "Guest Policy Structure"): the conditions
 * the guest owner set at launch that the firmware enforces for the guest's lifetime.
 *
 * @param raw the 64-bit policy as reported
 */
public record GuestPolicy(long raw) {
  private static final int SMT = 16;
  private static final int RESERVED_MUST_BE_ONE = 17;
  private static final int MIGRATE_MA = 18;
  private static final int DEBUG = 19;
  private static final int SINGLE_SOCKET = 20;
  private static final int CXL_ALLOW = 21;
  private static final int MEM_AES_256_XTS = 22;
  private static final int RAPL_DIS = 23;
  private static final int CIPHERTEXT_HIDING = 24;
  private static final int PAGE_SWAP_DISABLE = 25;

  /** True when the hypervisor may debug the guest (read and write its memory): never trust it. */
  public boolean debug() {
    return bit(DEBUG);
  }

  /** True when a migration agent may be associated with the guest (it can export its memory). */
  public boolean migrationAgent() {
    return bit(MIGRATE_MA);
  }

  /** True when the guest may run on a host with simultaneous multithreading enabled. */
  public boolean smtAllowed() {
    return bit(SMT);
  }

  /** Every defined field by name, for claims. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("abiMinor", (int) (raw & 0xff));
    m.put("abiMajor", (int) ((raw >>> 8) & 0xff));
    m.put("smt", smtAllowed());
    m.put("reservedBit17", bit(RESERVED_MUST_BE_ONE));
    m.put("migrateMa", migrationAgent());
    m.put("debug", debug());
    m.put("singleSocket", bit(SINGLE_SOCKET));
    m.put("cxlAllow", bit(CXL_ALLOW));
    m.put("memAes256Xts", bit(MEM_AES_256_XTS));
    m.put("raplDis", bit(RAPL_DIS));
    m.put("ciphertextHiding", bit(CIPHERTEXT_HIDING));
    m.put("pageSwapDisable", bit(PAGE_SWAP_DISABLE));
    return m;
  }

  private boolean bit(int n) {
    return ((raw >>> n) & 1) != 0;
  }
}
