// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.testing.Api;
import dev.arca.attestation.testing.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Devices and models in a real browser: the fleet table with each device's format, state, TCB
 * status, last appraisal and lease; revocation by the role that may, after a confirmation; the
 * other roles see the tables without the actions, or not at all.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleFleetTest {

  @TestHTTPResource("/console")
  URL console;

  @BeforeEach
  void data() {
    ConsoleData.ensure();
  }

  @Test
  void aDeviceAdminSeesTheFleetAndRevokesADeviceAfterConfirming() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "device-admin");
      assertThat(browser.text(By.cssSelector("main")))
          .contains("Devices")
          .doesNotContain("Audit log");
      browser.open(console + "/devices");
      String row = browser.await(By.id("device-" + ConsoleData.DEVICE)).getText();
      assertThat(row)
          .contains("dev")
          .contains("active")
          .contains("attestation/policy-denied")
          .contains("until ");
      browser.screenshot("devices");

      browser
          .driver
          .findElement(
              By.cssSelector(
                  "a[href='/console/devices/" + ConsoleData.REVOKED_DEVICE + "/revoke']"))
          .click();
      // Keyboard: the confirmation's button takes Enter.
      browser.await(By.id("confirm")).sendKeys(Keys.ENTER);
      assertThat(browser.awaitText(By.id("revoked"), "revoked"))
          .contains(ConsoleData.REVOKED_DEVICE);
      assertThat(browser.text(By.id("device-" + ConsoleData.REVOKED_DEVICE)))
          .contains("revoked")
          .doesNotContain("Revoke");
      Api.as("auditor")
          .get("/v1/devices/" + ConsoleData.REVOKED_DEVICE)
          .then()
          .statusCode(200)
          .body("status", org.hamcrest.Matchers.equalTo("revoked"));

      // The model pages are the publisher's: the browser is shown why, a program gets a problem.
      browser.open(console + "/models");
      assertThat(browser.await(By.id("problem")).getText()).contains("HTTP 403");
      given()
          .cookies(browser.cookies())
          .redirects()
          .follow(false)
          .get(console + "/models")
          .then()
          .statusCode(403);
    }
  }

  @Test
  void aModelPublisherRevokesAVersionAndAnAuditorOnlyReads() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "model-publisher");
      browser.open(console + "/models");
      assertThat(browser.await(By.id("model-" + ConsoleData.MODEL + "-1")).getText())
          .contains("synthetic, phi")
          .contains("published");
      browser.screenshot("models");
      browser
          .driver
          .findElement(
              By.cssSelector(
                  "a[href='/console/models/" + ConsoleData.REVOKED_MODEL + "/1/revoke']"))
          .click();
      browser.await(By.id("confirm")).click();
      assertThat(browser.awaitText(By.id("revoked"), "revoked"))
          .contains(ConsoleData.REVOKED_MODEL + "@1");
      assertThat(browser.text(By.id("model-" + ConsoleData.REVOKED_MODEL + "-1")))
          .contains("revoked since");
    }
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      browser.open(console + "/models");
      assertThat(browser.await(By.cssSelector("table.models")).getText()).doesNotContain("Revoke");
      browser.open(console + "/devices");
      assertThat(browser.await(By.cssSelector("table.fleet")).getText())
          .contains(ConsoleData.DEVICE)
          .doesNotContain("Revoke");
      given()
          .cookies(browser.cookies())
          .redirects()
          .follow(false)
          .contentType("application/x-www-form-urlencoded")
          .formParam("csrf", "")
          .post(console + "/devices/" + ConsoleData.DEVICE + "/revoke")
          .then()
          .statusCode(403);
    }
  }
}
