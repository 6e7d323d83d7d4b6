// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.EvidenceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Intel TCB info (PCS API "TCB info", versions 2 and 3) for one FMSPC: the TCB levels Intel knows
 * for that platform, newest first, each with a status and advisories. Version 3 with id {@code TDX}
 * adds TDX TCB components and the TDX module's signer and attributes.
 *
 * @param version 2 or 3
 * @param id {@code SGX} or {@code TDX} (version 2 has no id and counts as SGX)
 * @param issueDate when Intel issued it
 * @param nextUpdate when it stops being valid
 * @param fmspc hex, lower case
 * @param pceId hex, lower case
 * @param tcbEvaluationDataNumber Intel's TCB recovery counter
 * @param tdxModuleMrSigner hex, or null
 * @param tdxModuleAttributes 8 bytes, or null
 * @param tdxModuleAttributesMask 8 bytes, or null
 * @param levels newest first
 */
public record TcbInfo(
    int version,
    String id,
    Instant issueDate,
    Instant nextUpdate,
    String fmspc,
    String pceId,
    long tcbEvaluationDataNumber,
    String tdxModuleMrSigner,
    byte[] tdxModuleAttributes,
    byte[] tdxModuleAttributesMask,
    List<Level> levels) {

  /**
   * One TCB level.
   *
   * @param sgxComponents 16 SGX component SVNs
   * @param pceSvn PCE SVN
   * @param tdxComponents 16 TDX component SVNs, or null (version 2 / SGX)
   * @param status the level's status
   * @param tcbDate the level's date, as given
   * @param advisoryIds Intel security advisories that apply below the newest level
   */
  public record Level(
      int[] sgxComponents,
      int pceSvn,
      int[] tdxComponents,
      TcbStatus status,
      String tcbDate,
      List<String> advisoryIds) {}

  private static final String ID = "tdx.tcb-info.malformed";

  static TcbInfo parse(JsonNode n) throws EvidenceException {
    try {
      int version = n.path("version").asInt(-1);
      if (version != 2 && version != 3) {
        throw new EvidenceException(
            "tdx.tcb-info.unsupported-version", "TCB info version " + version + " is not 2 or 3");
      }
      String id = version == 2 ? "SGX" : text(n, "id");
      List<Level> levels = new ArrayList<>();
      for (JsonNode l : n.path("tcbLevels")) {
        JsonNode tcb = l.path("tcb");
        int[] sgx = new int[16];
        int[] tdx = null;
        if (version == 2) {
          for (int i = 0; i < 16; i++) {
            sgx[i] = svn(tcb, String.format("sgxtcbcomp%02dsvn", i + 1));
          }
        } else {
          sgx = components(tcb.path("sgxtcbcomponents"));
          if (tcb.has("tdxtcbcomponents")) {
            tdx = components(tcb.path("tdxtcbcomponents"));
          }
        }
        TcbStatus status = TcbStatus.of(text(l, "tcbStatus"));
        if (status == null || status == TcbStatus.LEVEL_NOT_FOUND) {
          throw new EvidenceException(ID, "unknown TCB status " + l.path("tcbStatus"));
        }
        List<String> advisories = new ArrayList<>();
        l.path("advisoryIDs").forEach(a -> advisories.add(a.asText()));
        levels.add(
            new Level(
                sgx, svn(tcb, "pcesvn"), tdx, status, l.path("tcbDate").asText(""), advisories));
      }
      if (levels.isEmpty()) {
        throw new EvidenceException(ID, "TCB info lists no TCB levels");
      }
      JsonNode module = n.path("tdxModule");
      HexFormat hex = HexFormat.of();
      return new TcbInfo(
          version,
          id,
          Instant.parse(text(n, "issueDate")),
          Instant.parse(text(n, "nextUpdate")),
          text(n, "fmspc").toLowerCase(java.util.Locale.ROOT),
          text(n, "pceId").toLowerCase(java.util.Locale.ROOT),
          n.path("tcbEvaluationDataNumber").asLong(-1),
          module.isObject() ? text(module, "mrsigner").toLowerCase(java.util.Locale.ROOT) : null,
          module.isObject() ? hex.parseHex(text(module, "attributes")) : null,
          module.isObject() ? hex.parseHex(text(module, "attributesMask")) : null,
          List.copyOf(levels));
    } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
      throw new EvidenceException(ID, "TCB info has a malformed field: " + e.getMessage());
    }
  }

  static String text(JsonNode n, String field) throws EvidenceException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new EvidenceException(ID, "field '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static int svn(JsonNode n, String field) throws EvidenceException {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() > 0xffff) {
      throw new EvidenceException(ID, "SVN '" + field + "' is missing or out of range");
    }
    return v.asInt();
  }

  private static int[] components(JsonNode array) throws EvidenceException {
    if (!array.isArray() || array.size() != 16) {
      throw new EvidenceException(ID, "a TCB level needs 16 components");
    }
    int[] out = new int[16];
    for (int i = 0; i < 16; i++) {
      out[i] = svn(array.get(i), "svn");
    }
    return out;
  }

  /**
   * The first level (newest first) that the platform meets, per Intel's TCB level matching: every
   * SGX component SVN of the PCK certificate and its PCE SVN at least the level's, and for TDX
   * every TEE TCB SVN byte at least the level's TDX component (TDX 1.5: when TEE_TCB_SVN[1] is not
   * zero, bytes 0 and 1 identify the module and are not compared).
   *
   * @return the level, or null when none matches
   */
  Level match(int[] pckSgx, int pckPceSvn, byte[] teeTcbSvn) {
    for (Level l : levels) {
      boolean ok = pckPceSvn >= l.pceSvn();
      for (int i = 0; i < 16 && ok; i++) {
        ok = pckSgx[i] >= l.sgxComponents()[i];
      }
      if (ok && teeTcbSvn != null && l.tdxComponents() != null) {
        int from = (teeTcbSvn[1] & 0xff) > 0 ? 2 : 0;
        for (int i = from; i < 16 && ok; i++) {
          ok = (teeTcbSvn[i] & 0xff) >= l.tdxComponents()[i];
        }
      }
      if (ok) {
        return l;
      }
    }
    return null;
  }
}
