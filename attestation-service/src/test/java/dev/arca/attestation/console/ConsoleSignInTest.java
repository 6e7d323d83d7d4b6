// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.attestation.testing.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Signing in to the console in a real browser through the real Keycloak: each role sees the
 * sections it may use and no other; nobody gets a page without signing in; the pages carry a strict
 * Content-Security-Policy.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleSignInTest {

  @TestHTTPResource("/console")
  URL console;

  @Test
  void anAuditorSeesEverySectionToRead() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "auditor");
      assertThat(browser.driver.findElement(By.id("user")).getText()).isEqualTo("auditor");
      assertThat(sections(browser))
          .containsExactly("Audit log", "Audit report", "Policies", "Devices", "Models");
      // Keyboard first: the first Tab reaches the link past the header, then the sections.
      browser.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
      assertThat(browser.driver.switchTo().activeElement().getText())
          .isEqualTo("Skip to the content");
      assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("lang"))
          .isEqualTo("en");
    }
  }

  @Test
  void aPolicyAdminSeesPoliciesOnlyAndSignsOut() throws Exception {
    try (ConsoleBrowser browser = ConsoleBrowser.start()) {
      browser.signIn(console.toString(), "policy-admin");
      assertThat(sections(browser)).containsExactly("Policies");
      browser.driver.findElement(By.linkText("Sign out")).click();
      // Signed out at Keycloak too: the console asks for a password again.
      browser.await(By.id("username"));
      browser.open(console.toString());
      assertThat(browser.await(By.id("username")).isDisplayed()).isTrue();
      assertThat(browser.driver.getPageSource()).doesNotContain("Signed in as");
    }
  }

  @Test
  void withoutASessionTheConsoleSendsThePersonToKeycloakWithPkce() {
    Response r = given().redirects().follow(false).get(console.toString());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.header("Location"))
        .contains("/protocol/openid-connect/auth")
        .contains("client_id=arca-console")
        .contains("code_challenge_method=S256");
    assertThat(r.body().asString()).doesNotContain("Audit log");
  }

  @Test
  void consolePagesForbidForeignScriptsAndFraming() {
    for (String url : List.of(console.toString(), console + "/assets/console.css")) {
      Response r = given().redirects().follow(false).get(url);
      assertThat(r.header("Content-Security-Policy"))
          .as(url)
          .contains("default-src 'self'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(r.header("X-Content-Type-Options")).as(url).isEqualTo("nosniff");
    }
  }

  private static List<String> sections(ConsoleBrowser browser) {
    return browser.driver.findElements(By.cssSelector("main .sections a")).stream()
        .map(WebElement::getText)
        .toList();
  }
}
