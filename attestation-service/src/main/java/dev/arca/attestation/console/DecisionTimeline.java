// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.audit.log.AuditQuery;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Permits and denials per day (UTC) and data class, counted from the model decisions recorded by
 * the appraisal entries a search matches, laid out as one small bar chart per data class. The bars'
 * geometry is computed here, so the page needs neither script nor inline style to draw them.
 */
final class DecisionTimeline {
  static final int WIDTH = 720;
  static final int HEIGHT = 100;

  /** One day's counts for a data class. */
  record Day(LocalDate day, long permits, long denials) {}

  /** A bar: where it is drawn, its CSS class ({@code permit} or {@code deny}), its tooltip. */
  record Bar(int x, int y, int width, int height, String kind, String title) {}

  /** A day's label under the chart. */
  record Tick(int x, String label) {}

  /** One data class's chart. */
  record Chart(
      String dataClass,
      long permits,
      long denials,
      List<Day> days,
      List<Bar> bars,
      List<Tick> ticks) {}

  private DecisionTimeline() {}

  /**
   * The charts of the entries {@code search} matches in the days {@code [first, last]}, one per
   * data class with decisions in them.
   */
  static List<Chart> read(Connection tx, AuditQuery search, LocalDate first, LocalDate last)
      throws SQLException {
    Map<String, Map<LocalDate, long[]>> counts = new TreeMap<>();
    List<Object> args = new ArrayList<>();
    String where = search.where(args);
    args.add(Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant()));
    args.add(Timestamp.from(last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    try (PreparedStatement ps =
        tx.prepareStatement(
            "SELECT (logged_at AT TIME ZONE 'UTC')::date, d->>'dataClass', d->>'permitted',"
                + " count(*) FROM tlog_entry,"
                + " jsonb_array_elements(convert_from(leaf, 'UTF8')::jsonb"
                + " #> '{facts,detail,replay,decisions}') d"
                + where
                + " AND type IN ('attestation.appraised', 'attestation.rejected')"
                + " AND logged_at >= ? AND logged_at < ? GROUP BY 1, 2, 3")) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LocalDate day = ((Date) rs.getObject(1)).toLocalDate();
          long[] c =
              counts
                  .computeIfAbsent(rs.getString(2), k -> new TreeMap<>())
                  .computeIfAbsent(day, k -> new long[2]);
          c["true".equals(rs.getString(3)) ? 0 : 1] += rs.getLong(4);
        }
      }
    }
    List<Chart> charts = new ArrayList<>();
    counts.forEach((dataClass, byDay) -> charts.add(chart(dataClass, byDay, first, last)));
    return charts;
  }

  private static Chart chart(
      String dataClass, Map<LocalDate, long[]> byDay, LocalDate first, LocalDate last) {
    List<Day> days = new ArrayList<>();
    long max = 1;
    long permits = 0;
    long denials = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      long[] c = byDay.getOrDefault(d, new long[2]);
      days.add(new Day(d, c[0], c[1]));
      max = Math.max(max, Math.max(c[0], c[1]));
      permits += c[0];
      denials += c[1];
    }
    int slot = WIDTH / days.size();
    int bar = Math.max(1, (slot - 2) / 2);
    int tickEvery = Math.max(1, days.size() / 7);
    List<Bar> bars = new ArrayList<>();
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < days.size(); i++) {
      Day d = days.get(i);
      int x = i * slot;
      int hp = (int) Math.round((double) HEIGHT * d.permits() / max);
      int hd = (int) Math.round((double) HEIGHT * d.denials() / max);
      bars.add(
          new Bar(x, HEIGHT - hp, bar, hp, "permit", d.day() + ": " + d.permits() + " permitted"));
      bars.add(
          new Bar(x + bar, HEIGHT - hd, bar, hd, "deny", d.day() + ": " + d.denials() + " denied"));
      if (i % tickEvery == 0) {
        ticks.add(new Tick(x, d.day().toString().substring(5)));
      }
    }
    return new Chart(dataClass, permits, denials, days, bars, ticks);
  }
}
