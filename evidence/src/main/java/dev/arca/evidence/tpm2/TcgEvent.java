// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of a TCG PC Client event log: TCG_PCR_EVENT (SHA-1 format) or TCG_PCR_EVENT2
 * (crypto-agile), TCG PC Client Platform Firmware Profile §10.2.
 *
 * @param pcrIndex the PCR the event was extended into
 * @param type the event type (EV_*, §10.4.1)
 * @param digests hash algorithm (TPM_ALG_ID) to digest
 * @param data the event data
 */
public record TcgEvent(int pcrIndex, long type, Map<Integer, byte[]> digests, byte[] data) {
  public static final long EV_NO_ACTION = 0x3;
  public static final long EV_SEPARATOR = 0x4;
  public static final long EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001L;

  public TcgEvent {
    Map<Integer, byte[]> copy = new LinkedHashMap<>();
    digests.forEach((k, v) -> copy.put(k, v.clone()));
    digests = Collections.unmodifiableMap(copy);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The event type's name from the PC Client profile, or its hex value. */
  public String typeName() {
    return typeName(type);
  }

  static String typeName(long type) {
    String n =
        switch ((int) type) {
          case 0x0 -> "EV_PREBOOT_CERT";
          case 0x1 -> "EV_POST_CODE";
          case 0x2 -> "EV_UNUSED";
          case 0x3 -> "EV_NO_ACTION";
          case 0x4 -> "EV_SEPARATOR";
          case 0x5 -> "EV_ACTION";
          case 0x6 -> "EV_EVENT_TAG";
          case 0x7 -> "EV_S_CRTM_CONTENTS";
          case 0x8 -> "EV_S_CRTM_VERSION";
          case 0x9 -> "EV_CPU_MICROCODE";
          case 0xA -> "EV_PLATFORM_CONFIG_FLAGS";
          case 0xB -> "EV_TABLE_OF_DEVICES";
          case 0xC -> "EV_COMPACT_HASH";
          case 0xD -> "EV_IPL";
          case 0xE -> "EV_IPL_PARTITION_DATA";
          case 0xF -> "EV_NONHOST_CODE";
          case 0x10 -> "EV_NONHOST_CONFIG";
          case 0x11 -> "EV_NONHOST_INFO";
          case 0x12 -> "EV_OMIT_BOOT_DEVICE_EVENTS";
          case 0x80000001 -> "EV_EFI_VARIABLE_DRIVER_CONFIG";
          case 0x80000002 -> "EV_EFI_VARIABLE_BOOT";
          case 0x80000003 -> "EV_EFI_BOOT_SERVICES_APPLICATION";
          case 0x80000004 -> "EV_EFI_BOOT_SERVICES_DRIVER";
          case 0x80000005 -> "EV_EFI_RUNTIME_SERVICES_DRIVER";
          case 0x80000006 -> "EV_EFI_GPT_EVENT";
          case 0x80000007 -> "EV_EFI_ACTION";
          case 0x80000008 -> "EV_EFI_PLATFORM_FIRMWARE_BLOB";
          case 0x80000009 -> "EV_EFI_HANDOFF_TABLES";
          case 0x8000000A -> "EV_EFI_PLATFORM_FIRMWARE_BLOB2";
          case 0x8000000B -> "EV_EFI_HANDOFF_TABLES2";
          case 0x80000010 -> "EV_EFI_HCRTM_EVENT";
          case 0x800000E0 -> "EV_EFI_VARIABLE_AUTHORITY";
          case 0x800000E1 -> "EV_EFI_SPDM_FIRMWARE_BLOB";
          case 0x800000E2 -> "EV_EFI_SPDM_FIRMWARE_CONFIG";
          default -> null;
        };
    return n != null ? n : String.format("0x%08x", type);
  }

  @Override
  public String toString() {
    return "TcgEvent[pcr=" + pcrIndex + ", " + typeName() + "]";
  }
}
