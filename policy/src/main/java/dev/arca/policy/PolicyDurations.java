// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of policy documents: a positive whole number and a unit, e.g. {@code 72h}.
 */
final class PolicyDurations {

  private static final Pattern SYNTAX = Pattern.compile("([1-9][0-9]{0,8})([smhd])");

  private PolicyDurations() {}

  /**
   * @throws IllegalArgumentException if {@code text} is not e.g. {@code 30s}, {@code 15m}, {@code
   *     72h}, {@code 7d}
   */
  static Duration parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a whole number and s, m, h or d, e.g. 72h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /**
   * An exact form as a person would write it: whole weeks and longer in days ({@code 7d}), else
   * hours ({@code 72h}), minutes ({@code 90m}) or seconds ({@code 45s}).
   */
  static String format(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() != 0) {
      return d.toString();
    }
    if (s % 86400 == 0 && s >= 7 * 86400) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
