// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A PDF as a reader sees it: its text, and its pages rendered to PNG by PDFBox (kept as {@code
 * target/console-screenshots/report-page-<n>.png}).
 */
record ReportPages(String text, List<BufferedImage> images, List<Path> pngs) {

  static ReportPages of(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      PDFRenderer renderer = new PDFRenderer(doc);
      Path dir = Path.of("target", "console-screenshots");
      Files.createDirectories(dir);
      List<BufferedImage> images = new ArrayList<>();
      List<Path> pngs = new ArrayList<>();
      for (int i = 0; i < doc.getNumberOfPages(); i++) {
        BufferedImage image = renderer.renderImageWithDPI(i, 96);
        Path png = dir.resolve("report-page-" + (i + 1) + ".png");
        ImageIO.write(image, "png", png.toFile());
        images.add(image);
        pngs.add(png);
      }
      return new ReportPages(text, images, pngs);
    }
  }

  /** The fraction of page {@code i}'s pixels that are not white. */
  double inkedFraction(int i) {
    BufferedImage image = images.get(i);
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
          inked++;
        }
      }
    }
    return (double) inked / ((long) image.getWidth() * image.getHeight());
  }
}
