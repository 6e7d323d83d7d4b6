// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.audit.log.AuditQuery;
import jakarta.ws.rs.QueryParam;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The audit search form as submitted: each field as typed (so the page shows it back), an empty
 * field meaning "any". Days are calendar days in UTC, both ends included.
 */
public class AuditFilters {
  @QueryParam("device")
  public String device;

  @QueryParam("model")
  public String model;

  @QueryParam("version")
  public String version;

  @QueryParam("dataClass")
  public String dataClass;

  @QueryParam("rule")
  public String rule;

  @QueryParam("verdict")
  public String verdict;

  @QueryParam("actor")
  public String actor;

  @QueryParam("kind")
  public String kind;

  @QueryParam("from")
  public String from;

  @QueryParam("to")
  public String to;

  /** The first day asked for, or {@code null}. */
  LocalDate firstDay() {
    return day("from", from);
  }

  /** The last day asked for, or {@code null}. */
  LocalDate lastDay() {
    return day("to", to);
  }

  /**
   * The log search these fields ask for.
   *
   * @throws ProblemException saying which field cannot be searched for
   */
  AuditQuery query(int limit) {
    Long v = null;
    if (given(version)) {
      try {
        v = Long.parseLong(version.trim());
      } catch (NumberFormatException e) {
        throw new ProblemException(ProblemType.INVALID_REQUEST, "version is a whole number");
      }
    }
    LocalDate first = firstDay();
    LocalDate last = lastDay();
    if (first != null && last != null && first.isAfter(last)) {
      throw new ProblemException(ProblemType.INVALID_REQUEST, "the first day is after the last");
    }
    return new AuditQuery(
        text(device),
        text(model),
        v,
        text(dataClass),
        text(rule),
        text(verdict),
        first == null ? null : first.atStartOfDay(ZoneOffset.UTC).toInstant(),
        last == null ? null : last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        text(actor),
        null,
        text(kind),
        -1,
        limit);
  }

  /**
   * {@code value} as a day, or {@code null} when empty.
   *
   * @throws ProblemException naming {@code field} when it is not a day
   */
  static LocalDate day(String field, String value) {
    if (!given(value)) {
      return null;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, field + " is a day written like 2026-01-31");
    }
  }

  private static boolean given(String value) {
    return value != null && !value.isBlank();
  }

  private static String text(String value) {
    return given(value) ? value.trim() : null;
  }
}
