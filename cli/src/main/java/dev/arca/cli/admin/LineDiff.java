// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import java.util.ArrayList;
import java.util.List;

/** A line diff (longest common subsequence) printed as {@code -}/{@code +}/space lines. */
final class LineDiff {
  private LineDiff() {}

  /** Empty when the texts are equal; else a header and every line marked. */
  static List<String> unified(String a, String b, String nameA, String nameB) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    int[][] lcs = new int[x.length + 1][y.length + 1];
    for (int i = x.length - 1; i >= 0; i--) {
      for (int j = y.length - 1; j >= 0; j--) {
        lcs[i][j] =
            x[i].equals(y[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    boolean changed = false;
    int i = 0;
    int j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i].equals(y[j])) {
        out.add("  " + x[i]);
        i++;
        j++;
      } else if (i < x.length && (j == y.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.add("- " + x[i++]);
        changed = true;
      } else {
        out.add("+ " + y[j++]);
        changed = true;
      }
    }
    if (!changed) {
      return List.of();
    }
    out.add(0, "--- " + nameA);
    out.add(1, "+++ " + nameB);
    return out;
  }
}
