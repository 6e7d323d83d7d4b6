// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arca.evidence.EvidenceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Intel's identity of the TDX Quoting Enclave (PCS API "enclave identity" v2, id {@code TD_QE}):
 * the signer, product id, MISCSELECT and ATTRIBUTES (with masks) a genuine QE reports, and the
 * status of each ISV SVN.
 */
record QeIdentity(
    String id,
    Instant issueDate,
    Instant nextUpdate,
    byte[] miscselect,
    byte[] miscselectMask,
    byte[] attributes,
    byte[] attributesMask,
    byte[] mrSigner,
    int isvProdId,
    List<int[]> isvSvnLevels,
    List<TcbStatus> statuses) {
  private static final String ID = "tdx.qe-identity.malformed";

  static QeIdentity parse(JsonNode n) throws EvidenceException {
    try {
      if (n.path("version").asInt(-1) != 2) {
        throw new EvidenceException(
            "tdx.qe-identity.unsupported-version",
            "enclave identity version " + n.path("version") + " is not 2");
      }
      HexFormat hex = HexFormat.of();
      List<int[]> svns = new ArrayList<>();
      List<TcbStatus> statuses = new ArrayList<>();
      for (JsonNode l : n.path("tcbLevels")) {
        JsonNode svn = l.path("tcb").path("isvsvn");
        TcbStatus s = TcbStatus.of(l.path("tcbStatus").asText());
        if (!svn.canConvertToInt() || s == null) {
          throw new EvidenceException(ID, "a QE identity TCB level is malformed");
        }
        svns.add(new int[] {svn.asInt()});
        statuses.add(s);
      }
      byte[] misc = hex.parseHex(text(n, "miscselect"));
      byte[] miscMask = hex.parseHex(text(n, "miscselectMask"));
      byte[] attr = hex.parseHex(text(n, "attributes"));
      byte[] attrMask = hex.parseHex(text(n, "attributesMask"));
      byte[] mrSigner = hex.parseHex(text(n, "mrsigner"));
      if (misc.length != 4
          || miscMask.length != 4
          || attr.length != 16
          || attrMask.length != 16
          || mrSigner.length != 32
          || svns.isEmpty()) {
        throw new EvidenceException(ID, "QE identity fields have the wrong sizes");
      }
      return new QeIdentity(
          text(n, "id"),
          Instant.parse(text(n, "issueDate")),
          Instant.parse(text(n, "nextUpdate")),
          misc,
          miscMask,
          attr,
          attrMask,
          mrSigner,
          n.path("isvprodid").asInt(-1),
          svns,
          statuses);
    } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
      throw new EvidenceException(ID, "QE identity has a malformed field: " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String field) throws EvidenceException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new EvidenceException(ID, "field '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  /** Checks the QE report against this identity; returns the problems found (empty if none). */
  List<String> mismatches(EnclaveReport qe) {
    List<String> out = new ArrayList<>();
    byte[] misc = qe.miscSelect();
    // MISCSELECT is a little-endian u32 in the report; Intel writes it big-endian in hex.
    for (int i = 0; i < 4; i++) {
      if ((misc[i] & miscselectMask[3 - i]) != miscselect[3 - i]) {
        out.add("MISCSELECT");
        break;
      }
    }
    byte[] attr = qe.attributes();
    for (int i = 0; i < 16; i++) {
      if ((attr[i] & attributesMask[i]) != attributes[i]) {
        out.add("ATTRIBUTES");
        break;
      }
    }
    if (!java.security.MessageDigest.isEqual(mrSigner, qe.mrSigner())) {
      out.add("MRSIGNER");
    }
    if (isvProdId != qe.isvProdId()) {
      out.add("ISVPRODID");
    }
    return out;
  }

  /** The status of the first level whose ISV SVN the QE meets, or LEVEL_NOT_FOUND. */
  TcbStatus status(int isvSvn) {
    for (int i = 0; i < isvSvnLevels.size(); i++) {
      if (isvSvn >= isvSvnLevels.get(i)[0]) {
        return statuses.get(i);
      }
    }
    return TcbStatus.LEVEL_NOT_FOUND;
  }
}
