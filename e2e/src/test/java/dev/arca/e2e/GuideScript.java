// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable shell blocks of a Markdown guide, in document order: fenced blocks whose info string
 * is {@code sh deploy-step}, each with the nearest heading above it. Other blocks ({@code text},
 * plain {@code sh}) are for reading only.
 */
final class GuideScript {
  /** The info string that marks a block as part of the script. */
  static final String MARKER = "sh deploy-step";

  private static final Pattern HEADING_OR_BLOCK =
      Pattern.compile("(?m)^(#{1,6} [^\\n]*)$|^```([^\\n]*)\\n(.*?)^```\\s*$", Pattern.DOTALL);

  /** One block and the heading it stands under. */
  record Step(String heading, String body) {}

  private GuideScript() {}

  /** Every {@value #MARKER} block of {@code markdown}, in order. */
  static List<Step> steps(Path markdown) throws IOException {
    String text = Files.readString(markdown, StandardCharsets.UTF_8);
    List<Step> steps = new ArrayList<>();
    String heading = "(top)";
    Matcher m = HEADING_OR_BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1) != null) {
        heading = m.group(1).replaceFirst("^#+ ", "");
      } else if (m.group(2).strip().equals(MARKER)) {
        steps.add(new Step(heading, m.group(3)));
      }
    }
    return steps;
  }

  /**
   * One bash script running the steps in order, in one shell (later blocks use the settings of
   * earlier ones, as a reader's terminal would) under {@code set -euo pipefail}, announcing each
   * step on stdout so a failure names its block. The first line records the script's process group,
   * which the caller stops at the end; an error names the failing command's text (not its expanded
   * arguments, which may hold a secret).
   */
  static String bash(List<Step> steps, Path groupFile) {
    StringBuilder s = new StringBuilder();
    s.append("set -euo pipefail\n");
    s.append("echo $$ > '").append(groupFile).append("'\n");
    s.append("trap 'echo \"deploy-step failed: line $LINENO: $BASH_COMMAND\" >&2' ERR\n");
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      s.append("echo \"### deploy-step ")
          .append(i + 1)
          .append(" at $(date -u +%T): ")
          .append(step.heading().replaceAll("[^A-Za-z0-9 .,:()-]", ""))
          .append("\"\n");
      s.append(step.body());
    }
    s.append("echo \"### guide done at $(date -u +%T)\"\n");
    return s.toString();
  }
}
