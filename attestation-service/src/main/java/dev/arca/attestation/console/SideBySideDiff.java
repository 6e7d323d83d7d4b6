// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Two texts line by line, side by side: lines in both (longest common subsequence), lines only on
 * the left ({@code removed}), only on the right ({@code added}), and a removal next to an addition
 * shown on one row ({@code changed}). The common head and tail are matched first, so the quadratic
 * part only sees the changed middle; a middle too large for it is shown as removed then added.
 */
final class SideBySideDiff {
  /** The largest changed middle (lines left times lines right) compared line by line. */
  static final long MAX_CELLS = 4_000_000;

  /** One row; a side without a line has number 0 and text "". */
  record Row(int leftNumber, String left, int rightNumber, String right, String kind) {}

  private SideBySideDiff() {}

  static List<Row> of(String leftText, String rightText) {
    String[] a = leftText.split("\n", -1);
    String[] b = rightText.split("\n", -1);
    int head = 0;
    while (head < a.length && head < b.length && a[head].equals(b[head])) {
      head++;
    }
    int tail = 0;
    while (tail < a.length - head
        && tail < b.length - head
        && a[a.length - 1 - tail].equals(b[b.length - 1 - tail])) {
      tail++;
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < head; i++) {
      rows.add(new Row(i + 1, a[i], i + 1, b[i], "same"));
    }
    middle(a, head, a.length - tail, b, head, b.length - tail, rows);
    for (int i = tail; i > 0; i--) {
      int ai = a.length - i;
      int bi = b.length - i;
      rows.add(new Row(ai + 1, a[ai], bi + 1, b[bi], "same"));
    }
    return rows;
  }

  private static void middle(
      String[] a, int a0, int a1, String[] b, int b0, int b1, List<Row> rows) {
    int n = a1 - a0;
    int m = b1 - b0;
    List<Integer> removed = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    if ((long) n * m > MAX_CELLS) {
      for (int i = a0; i < a1; i++) {
        removed.add(i);
      }
      for (int j = b0; j < b1; j++) {
        added.add(j);
      }
      flush(a, b, removed, added, rows);
      return;
    }
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a[a0 + i].equals(b[b0 + j])
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[a0 + i].equals(b[b0 + j])) {
        flush(a, b, removed, added, rows);
        rows.add(new Row(a0 + i + 1, a[a0 + i], b0 + j + 1, b[b0 + j], "same"));
        i++;
        j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        added.add(b0 + j++);
      } else {
        removed.add(a0 + i++);
      }
    }
    flush(a, b, removed, added, rows);
  }

  /** A run of removals and additions, paired up as changed rows. */
  private static void flush(
      String[] a, String[] b, List<Integer> removed, List<Integer> added, List<Row> rows) {
    for (int k = 0; k < Math.max(removed.size(), added.size()); k++) {
      boolean left = k < removed.size();
      boolean right = k < added.size();
      int li = left ? removed.get(k) : -1;
      int ri = right ? added.get(k) : -1;
      rows.add(
          new Row(
              left ? li + 1 : 0,
              left ? a[li] : "",
              right ? ri + 1 : 0,
              right ? b[ri] : "",
              left && right ? "changed" : left ? "removed" : "added"));
    }
    removed.clear();
    added.clear();
  }
}
