// SPDX-License-Identifier: Apache-2.0
package dev.arca.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build's check of mutation scores: for every module in {@code docs/mutation-scores.tsv}, the
 * score in its PIT report ({@code <module>/target/pit-reports/mutations.xml}) is at least the
 * recorded one, and {@code docs/testing.md} shows the recorded numbers.
 *
 * <p>PIT runs only with {@code -Pmutation} (docs/testing.md "Mutation testing"), and so does the
 * score check (tag {@code pit-report}, excluded from the normal build): there a missing report
 * fails. The check that the guide shows the recorded scores runs in every build.
 */
class MutationScoresTest {
  static final String COMMAND =
      "./mvnw -B -Pmutation -Darca.fuzz.skip=true"
          + " -pl crypto,tpm,evidence,policy,transparency,appraisal,mutation-scores verify";

  private final Path root =
      Path.of(System.getProperty("arca.repo.root", "..")).toAbsolutePath().normalize();

  /** One recorded score: {@code killed} of {@code total} mutants detected. */
  record Recorded(String module, long killed, long total) {
    String score() {
      return killed + "/" + total + String.format(" (%.1f%%)", 100.0 * killed / total);
    }
  }

  List<Recorded> recorded() throws IOException {
    List<Recorded> out = new ArrayList<>();
    for (String line :
        Files.readAllLines(root.resolve("docs/mutation-scores.tsv"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      assertThat(f).as("docs/mutation-scores.tsv line '%s'", line).hasSizeGreaterThanOrEqualTo(3);
      out.add(new Recorded(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
    }
    return out;
  }

  /** Detected (killed, timed out or out of memory) and total mutants of a PIT XML report. */
  static long[] measured(Path report) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    NodeList mutations =
        f.newDocumentBuilder().parse(report.toFile()).getElementsByTagName("mutation");
    long detected = 0;
    for (int i = 0; i < mutations.getLength(); i++) {
      if ("true".equals(((Element) mutations.item(i)).getAttribute("detected"))) {
        detected++;
      }
    }
    return new long[] {detected, mutations.getLength()};
  }

  @TestFactory
  @Tag("pit-report")
  Stream<DynamicTest> noModuleScoresBelowItsRecordedScore() throws IOException {
    return recorded().stream().map(r -> DynamicTest.dynamicTest(r.module(), () -> check(r)));
  }

  private void check(Recorded r) throws Exception {
    Path report = root.resolve(r.module()).resolve("target/pit-reports/mutations.xml");
    assertThat(report)
        .as(
            "no PIT report for %s, so its recorded score %s cannot be checked; run: %s",
            r.module(), r.score(), COMMAND)
        .exists();
    long[] m = measured(report);
    Recorded now = new Recorded(r.module(), m[0], m[1]);
    assertThat(now.total()).as("%s: mutants in %s", r.module(), report).isPositive();
    System.out.println(
        "[mutation-scores] " + r.module() + ": " + now.score() + ", recorded " + r.score());
    // now.killed / now.total >= r.killed / r.total, without rounding
    assertThat(now.killed() * r.total())
        .as(
            "%s: mutation score fell from the recorded %s to %s; kill the new survivors (see"
                + " %s/target/pit-reports/index.html) or, if the drop is deliberate, record the new"
                + " score in docs/mutation-scores.tsv and docs/testing.md",
            r.module(), r.score(), now.score(), r.module())
        .isGreaterThanOrEqualTo(r.killed() * now.total());
  }

  @Test
  void theTestingGuideShowsTheRecordedScores() throws IOException {
    String guide = Files.readString(root.resolve("docs/testing.md"), StandardCharsets.UTF_8);
    for (Recorded r : recorded()) {
      assertThat(guide)
          .as(
              "docs/testing.md must show %s's recorded score as in docs/mutation-scores.tsv",
              r.module())
          .containsPattern(
              "(?m)^\\| `" + r.module() + "` \\|.*\\| " + r.killed() + "/" + r.total() + " \\|");
    }
  }
}
