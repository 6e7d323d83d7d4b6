// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import dev.arca.attestation.testing.TestPolicy;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

/**
 * Policies in a real browser: a side-by-side diff, the impact of a draft on the decisions the log
 * records (permit -> deny and deny -> permit), and activation by a {@code policy-admin} after a
 * confirmation naming what changes; an auditor sees the same and may activate nothing, and a form
 * posted without the session's token is refused.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsolePolicyTest {
  /** The service test policy, with PHI allowed on the console's devices and synthetic data not. */
  static final String TRIAL =
      TestPolicy.serviceTest()
          .replace("name: service-test", "name: console-trial")
          .replace(
              "  - name: synthetic-on-any-enrolled-device",
              """
                - name: console-box-phi-trial
                  effect: permit
                  when: "data.class == 'phi' && device.class == 'console-box'"

                - name: console-box-no-synthetic
                  effect: forbid
                  when: "data.class == 'synthetic' && device.class == 'console-box'"

                - name: synthetic-on-any-enrolled-device"""
                  .indent(2)
                  .stripTrailing())
          .replace(
              "when: \"(!evidence.hardwareRooted || evidence.format == 'dev') && !(data.class in"
                  + " ['synthetic', 'research'])\"",
              "when: \"(!evidence.hardwareRooted || evidence.format == 'dev') && !(data.class in"
                  + " ['synthetic', 'research']) && device.class != 'console-box'\"");

  @TestHTTPResource("/console")
  URL console;

  @BeforeEach
  void data() {
    ConsoleData.ensure();
    TestPolicy.store(TRIAL);
  }

  /** Other classes of this JVM expect the service test policy. */
  @AfterEach
  void restoreTheServiceTestPolicy() {
    TestPolicy.activate();
  }

  @Test
  void aPolicyAdminComparesTriesADraftAndActivatesAfterConfirming() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "policy-admin");
      browser.open(console + "/policies");
      browser.assertEveryFieldLabelled();
      browser.screenshot("policies");

      new Select(browser.driver.findElement(By.id("left"))).selectByValue("service-test@1");
      new Select(browser.driver.findElement(By.id("right"))).selectByValue("console-trial@1");
      browser.driver.findElement(By.cssSelector("form.inline button")).click();
      assertThat(browser.awaitText(By.id("diff-summary"), "differ")).doesNotStartWith("0 ");
      assertThat(browser.text(By.cssSelector("tr.added td.right, tr.changed td.right")))
          .isNotBlank();
      assertThat(browser.text(By.cssSelector("table.diff")))
          .contains("name: service-test")
          .contains("name: console-trial")
          .contains("console-box-phi-trial");
      browser.screenshot("policy-diff");

      browser.open(console + "/policies");
      ((JavascriptExecutor) browser.driver)
          .executeScript("document.getElementById('draft').value = arguments[0];", TRIAL);
      browser.driver.findElement(By.cssSelector("form[method=post] button")).click();
      String summary = browser.awaitText(By.id("impact-summary"), "decided again");
      assertThat(summary).contains("console-trial version 1");
      String toPermit = browser.text(By.cssSelector("ul.to-permit"));
      String toDeny = browser.text(By.cssSelector("ul.to-deny"));
      assertThat(toPermit)
          .contains(ConsoleData.DEVICE + " " + ConsoleData.MODEL + "@1 phi")
          .contains("console-box-phi-trial");
      assertThat(toDeny)
          .contains(ConsoleData.DEVICE + " " + ConsoleData.MODEL + "@1 synthetic")
          .contains("console-box-no-synthetic");
      browser.screenshot("policy-impact");

      // A draft that does not compile is answered with its problems, where they are.
      browser.open(console + "/policies");
      browser.driver.findElement(By.id("draft")).sendKeys("rules: [");
      browser.driver.findElement(By.cssSelector("form[method=post] button")).click();
      assertThat(browser.await(By.id("draft-problems")).getText())
          .contains("draft:")
          .contains("error [policy.");

      // The page after an activation says only what is true.
      browser.open(console + "/policies?activated=console-trial%401");
      assertThat(browser.driver.findElements(By.id("activated"))).isEmpty();

      browser.open(console + "/policies");
      browser
          .driver
          .findElement(By.cssSelector("a[href='/console/policies/console-trial/1/activate']"))
          .click();
      assertThat(browser.awaitText(By.id("replaces"), "replaces"))
          .contains("It replaces service-test version 1");
      assertThat(browser.text(By.cssSelector("ul.to-permit")))
          .contains(ConsoleData.DEVICE + " " + ConsoleData.MODEL + "@1 phi");
      browser.screenshot("policy-activate");
      browser.driver.findElement(By.id("confirm")).click();
      assertThat(browser.awaitText(By.id("activated"), "active policy"))
          .contains("console-trial@1");
      Api.as("auditor")
          .get("/v1/policies")
          .then()
          .statusCode(200)
          .body("find { it.active }.name", org.hamcrest.Matchers.equalTo("console-trial"));

      // The same form posted without the session's token (another site's page) is refused.
      given()
          .cookies(browser.cookies())
          .redirects()
          .follow(false)
          .contentType("application/x-www-form-urlencoded")
          .formParam("csrf", "forged")
          .post(console + "/policies/service-test/1/activate")
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("type", org.hamcrest.Matchers.endsWith("form-token-invalid"));
      Api.as("auditor")
          .get("/v1/policies")
          .then()
          .body("find { it.active }.name", org.hamcrest.Matchers.equalTo("console-trial"));
    }
  }

  @Test
  void anAuditorReadsPoliciesButActivatesNothing() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      browser.open(console + "/policies");
      assertThat(browser.await(By.cssSelector("table.versions")).getText())
          .contains("service-test")
          .contains("console-trial")
          .doesNotContain("Activate");
      browser.open(console + "/policies/console-trial/1/activate");
      assertThat(browser.driver.getPageSource()).doesNotContain("id=\"confirm\"");
      given()
          .cookies(browser.cookies())
          .redirects()
          .follow(false)
          .get(console + "/policies/console-trial/1/activate")
          .then()
          .statusCode(403);
    }
  }
}
