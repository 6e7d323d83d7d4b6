// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The audit report as a PDF an auditor can hand on: A4 pages of wrapped text in the standard PDF
 * fonts, the signed checkpoint verbatim in a fixed-width font, and "page i of n" on every page.
 * Characters the standard fonts cannot encode (WinAnsi) are written as {@code ?}.
 */
final class ReportPdf {
  private static final float MARGIN = 50;
  private static final PDFont BODY = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private static final PDFont BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private static final PDFont MONO = new PDType1Font(Standard14Fonts.FontName.COURIER);

  private final PDDocument doc = new PDDocument();
  private final List<PDPage> pages = new ArrayList<>();
  private PDPageContentStream text;
  private float y;

  private ReportPdf() {}

  /** The report's PDF bytes. */
  static byte[] of(AuditReport r) {
    ReportPdf pdf = new ReportPdf();
    try {
      pdf.write(r);
      return pdf.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the report's PDF", e);
    }
  }

  private void write(AuditReport r) throws IOException {
    newPage();
    line(BOLD, 16, "Arca audit report, " + r.first() + " to " + r.last() + " (UTC)");
    line(
        BODY,
        9,
        "Built from the transparency log as the signed checkpoint below fixes it ("
            + r.size()
            + " entries). Any entry named here can be checked against it with its inclusion"
            + " proof.");
    heading("Who could read which model on which data class");
    if (r.access().isEmpty()) {
      line(BODY, 9, "No model key was released in this period.");
    }
    for (AuditReport.Access a : r.access()) {
      line(
          BODY,
          9,
          a.device()
              + " received "
              + a.model()
              + " for "
              + a.dataClass()
              + ": "
              + a.grants()
              + " grant(s), "
              + a.firstTime()
              + " to "
              + a.lastTime());
    }
    heading("Denials and why");
    if (r.denials().isEmpty()) {
      line(BODY, 9, "Nothing was denied in this period.");
    }
    for (AuditReport.Denial d : r.denials()) {
      line(
          BODY,
          9,
          "#" + d.entry() + " " + d.time() + " " + d.device() + ", " + d.what() + ": " + d.why());
    }
    heading("Policy, enrolment and other changes");
    if (r.changes().isEmpty()) {
      line(BODY, 9, "Nothing changed in this period.");
    }
    for (AuditReport.Change c : r.changes()) {
      line(
          BODY,
          9,
          "#"
              + c.entry()
              + " "
              + c.time()
              + " "
              + c.kind()
              + " by "
              + c.actor()
              + ": "
              + c.subject());
    }
    heading("Signed checkpoint");
    for (String l : r.checkpoint().lines().toList()) {
      line(MONO, 6.5f, l); // small enough that no line of the note wraps
    }
  }

  private void heading(String title) throws IOException {
    y -= 8;
    line(BOLD, 12, title);
  }

  /** Writes {@code s}, wrapped to the page width, starting new pages as needed. */
  private void line(PDFont font, float size, String s) throws IOException {
    float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
    String rest = printable(font, s);
    do {
      int fit = rest.length();
      while (fit > 1 && font.getStringWidth(rest.substring(0, fit)) / 1000 * size > width) {
        int space = rest.lastIndexOf(' ', fit - 1);
        fit = space > 0 ? space : fit - 1;
      }
      if (y - size * 1.35f < MARGIN) {
        newPage();
      }
      y -= size * 1.35f;
      text.beginText();
      text.setFont(font, size);
      text.newLineAtOffset(MARGIN, y);
      text.showText(rest.substring(0, fit));
      text.endText();
      rest = rest.substring(fit).stripLeading();
    } while (!rest.isEmpty());
  }

  private void newPage() throws IOException {
    if (text != null) {
      text.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    doc.addPage(page);
    pages.add(page);
    text = new PDPageContentStream(doc, page);
    y = PDRectangle.A4.getHeight() - MARGIN;
  }

  private byte[] finish() throws IOException {
    text.close();
    for (int i = 0; i < pages.size(); i++) {
      try (PDPageContentStream footer =
          new PDPageContentStream(doc, pages.get(i), PDPageContentStream.AppendMode.APPEND, true)) {
        footer.beginText();
        footer.setFont(BODY, 8);
        footer.newLineAtOffset(MARGIN, MARGIN / 2);
        footer.showText("Arca audit report - page " + (i + 1) + " of " + pages.size());
        footer.endText();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    doc.save(out);
    doc.close();
    return out.toByteArray();
  }

  /** {@code s} with every character {@code font} cannot encode replaced by {@code ?}. */
  private static String printable(PDFont font, String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              String ch = Character.toString(c);
              try {
                font.encode(ch);
                b.append(c < 0x20 ? "?" : ch);
              } catch (IOException | IllegalArgumentException e) {
                b.append('?');
              }
            });
    return b.toString();
  }
}
