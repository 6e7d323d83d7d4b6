// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.storage.Database;
import dev.arca.attestation.testing.AuditLines;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.Sql;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The auditor's audit log in a real browser against the real service, PostgreSQL and Keycloak:
 * search, an entry in plain words, and its inclusion proof checked by the browser's own WebCrypto
 * against the key the auditor pinned. A database writer who alters a stored proof hash or the
 * signed checkpoint, or a log that shrinks below what the browser saw, is shown as NOT VERIFIED.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleAuditTest {
  private static final By STATUS = By.id("proof-status");

  @TestHTTPResource("/console")
  URL console;

  @Inject Database db;

  @BeforeEach
  void data() {
    ConsoleData.ensure();
  }

  @Test
  void anAuditorFindsTheDenialOpensItAndTheBrowserVerifiesItsProof() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      browser.open(console + "/audit");
      browser.assertEveryFieldLabelled();
      // Keyboard only: type into the labelled fields and submit with Enter.
      browser.driver.findElement(By.id("device")).sendKeys(ConsoleData.DEVICE);
      browser.driver.findElement(By.id("dataClass")).sendKeys("phi");
      browser
          .driver
          .findElement(By.id("rule"))
          .sendKeys("software-attester-beyond-synthetic", Keys.ENTER);
      browser.awaitText(By.id("results-title"), "Entries");
      List<String> entries = column(browser, 1);
      assertThat(entries)
          .containsExactly("#" + ConsoleData.refusalEntry, "#" + ConsoleData.permitEntry);
      assertThat(column(browser, 5)).containsExactly("attestation/policy-denied", "permit");
      // The API's search takes the same filters.
      assertThat(
              AuditLines.search(
                  Map.of(
                      "device", ConsoleData.DEVICE,
                      "dataClass", "phi",
                      "rule", "software-attester-beyond-synthetic")))
          .extracting(line -> line.path("index").asLong())
          .containsExactly(ConsoleData.permitEntry, ConsoleData.refusalEntry);
      // The timeline counts the PHI denials of the day.
      assertThat(
              browser.driver.findElements(By.cssSelector(".chart figcaption")).stream()
                  .map(WebElement::getText))
          .anyMatch(caption -> caption.startsWith("phi: ") && !caption.endsWith(" 0 denied"));
      browser.screenshot("audit-search");

      browser.driver.findElement(By.linkText("#" + ConsoleData.permitEntry)).click();
      String words = browser.await(By.cssSelector("dl.words")).getText();
      assertThat(words)
          .contains("A device's attestation was appraised and permitted")
          .contains("dev evidence")
          .contains("service-test version 1")
          .contains("console-triage version 1 on synthetic data")
          .contains("on phi data for")
          .contains("denied by software-attester-beyond-synthetic")
          .contains("the data key of console-triage@1 for synthetic");

      assertThat(browser.text(STATUS)).contains("NOT VERIFIED").contains("no log key is pinned");
      pin(browser);
      assertThat(browser.awaitText(STATUS, "Verified")).doesNotContain("NOT");
      assertThat(browser.text(By.id("proof-steps")))
          .contains("signed by the pinned key")
          .contains("is in the signed tree")
          .contains("first checkpoint of this log");
      browser.screenshot("audit-entry");

      // The log grows; the browser holds it to the checkpoint it saw.
      ConsoleData.attestAgain();
      browser.driver.navigate().refresh();
      assertThat(browser.awaitText(STATUS, "Verified")).doesNotContain("NOT");
      assertThat(browser.text(By.id("proof-steps"))).contains("only grew since the checkpoint of");
    }
  }

  @Test
  void aTamperedProofOrCheckpointOrARolledBackLogFailsVisibly() throws Exception {
    long entry = ConsoleData.permitEntry;
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      browser.open(console + "/audit/entry/" + entry);
      pin(browser);
      browser.awaitText(STATUS, "Verified");

      // A database writer alters the stored hash the entry's proof starts with.
      long sibling = entry ^ 1;
      byte[] hash =
          Sql.bytes(db, "SELECT hash FROM tlog_node WHERE level = 0 AND idx = ?", sibling);
      byte[] forged = hash.clone();
      forged[0] ^= 1;
      Sql.update(db, "UPDATE tlog_node SET hash = ? WHERE level = 0 AND idx = ?", forged, sibling);
      try {
        browser.driver.navigate().refresh();
        assertThat(browser.awaitText(STATUS, "NOT VERIFIED"))
            .contains("inclusion proof does not lead to the signed root");
        browser.screenshot("audit-entry-tampered");
      } finally {
        Sql.update(db, "UPDATE tlog_node SET hash = ? WHERE level = 0 AND idx = ?", hash, sibling);
      }

      // ... or the signed checkpoint's root.
      byte[] note = Sql.bytes(db, "SELECT checkpoint FROM tlog_head WHERE id = 1");
      String[] lines = new String(note, StandardCharsets.UTF_8).split("\n", -1);
      lines[2] = (lines[2].charAt(0) == 'A' ? "B" : "A") + lines[2].substring(1);
      Sql.update(
          db,
          "UPDATE tlog_head SET checkpoint = ? WHERE id = 1",
          String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
      try {
        browser.driver.navigate().refresh();
        assertThat(browser.awaitText(STATUS, "NOT VERIFIED"))
            .contains("signature does not verify with the pinned key");
      } finally {
        Sql.update(db, "UPDATE tlog_head SET checkpoint = ? WHERE id = 1", note);
      }
      browser.driver.navigate().refresh();
      browser.awaitText(STATUS, "Verified");

      // A log smaller than a checkpoint this browser saw was rolled back (or forked).
      ((JavascriptExecutor) browser.driver)
          .executeScript(
              "const s = JSON.parse(localStorage.getItem('arca.audit.lastCheckpoint'));"
                  + " s.size += 5; localStorage.setItem('arca.audit.lastCheckpoint',"
                  + " JSON.stringify(s));");
      browser.driver.navigate().refresh();
      assertThat(browser.awaitText(STATUS, "NOT VERIFIED")).contains("rolled back");
    }
  }

  /**
   * The browser's proof code (proof.js, imported into a console page) against the service's own
   * proofs for every pair of tree sizes the log signed: each consistency proof verifies and fails
   * with one byte changed, and every entry's inclusion proof leads to each signed root above it.
   */
  @Test
  void theBrowsersProofCodeAgreesWithTheLogForEveryTreeSize() throws Exception {
    ConsoleData.attestAgain();
    List<String> trees = new ArrayList<>();
    List<String> leaves = new ArrayList<>();
    db.read(
        tx -> {
          try (var ps =
                  tx.prepareStatement("SELECT note FROM tlog_checkpoint ORDER BY size LIMIT 24");
              var rs = ps.executeQuery()) {
            while (rs.next()) {
              String[] note = new String(rs.getBytes(1), StandardCharsets.UTF_8).split("\n", -1);
              trees.add(note[1] + ":" + note[2]);
            }
          }
          try (var ps = tx.prepareStatement("SELECT leaf_hash FROM tlog_entry ORDER BY idx");
              var rs = ps.executeQuery()) {
            while (rs.next()) {
              leaves.add(Base64.getEncoder().encodeToString(rs.getBytes(1)));
            }
          }
          return null;
        });
    assertThat(trees).hasSizeGreaterThan(5);
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      browser.driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
      List<?> result =
          (List<?>)
              ((JavascriptExecutor) browser.driver)
                  .executeAsyncScript(BrowserScripts.PROOFS_AGAINST_THE_LOG, trees, leaves);
      assertThat((List<?>) result.get(1)).as("what the browser found wrong").isEmpty();
      long pairs = (long) trees.size() * (trees.size() - 1) / 2;
      assertThat((Long) result.get(0)).as("proofs checked").isGreaterThan(pairs);
    }
  }

  @Test
  void theReportListsAccessDenialsAndChangesAndItsPdfRenders() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      browser.open(console + "/report");
      browser.assertEveryFieldLabelled();
      assertThat(browser.await(By.cssSelector("table[aria-labelledby=access-title]")).getText())
          .contains(ConsoleData.DEVICE + " " + ConsoleData.MODEL + "@1 synthetic");
      assertThat(browser.text(By.cssSelector("table[aria-labelledby=denials-title]")))
          .contains(ConsoleData.MODEL + "@1 on phi")
          .contains("software-attester-beyond-synthetic");
      assertThat(browser.text(By.cssSelector("table[aria-labelledby=changes-title]")))
          .contains("device.enrolled")
          .contains("policy.activated");
      String checkpoint = browser.text(By.id("checkpoint"));
      assertThat(checkpoint).contains("\u2014 ");
      browser.screenshot("audit-report");

      String pdfUrl = browser.driver.findElement(By.id("pdf")).getAttribute("href");
      byte[] pdf =
          given()
              .cookies(browser.cookies())
              .redirects()
              .follow(false)
              .get(pdfUrl)
              .then()
              .statusCode(200)
              .contentType("application/pdf")
              .extract()
              .asByteArray();
      ReportPages pages = ReportPages.of(pdf);
      assertThat(pages.text())
          .contains("Arca audit report")
          .contains(ConsoleData.DEVICE + " received " + ConsoleData.MODEL + "@1 for synthetic")
          .contains("software-attester-beyond-synthetic")
          .contains(checkpoint.lines().findFirst().orElseThrow());
      assertThat(pages.pngs()).isNotEmpty();
      assertThat(pages.inkedFraction(0)).as("page 1 has text drawn on it").isGreaterThan(0.001);
    }
  }

  private static void pin(ConsoleBrowser browser) {
    String vkey = given().get("/v1/audit/vkey").then().statusCode(200).extract().asString().trim();
    WebElement field = browser.driver.findElement(By.id("vkey"));
    field.clear();
    field.sendKeys(vkey, Keys.ENTER);
  }

  private static List<String> column(ConsoleBrowser browser, int n) {
    return browser
        .driver
        .findElements(By.cssSelector("table.entries tbody td:nth-child(" + n + ")"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }
}
