// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) for the
 * console's tests, with a fresh profile; nothing is downloaded at run time. A test that needs it
 * skips, naming the packages, when they are absent (CI installs them).
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final WebDriver driver;
  private final Path profile;

  private ConsoleBrowser(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts a browser, or skips the calling test when Chromium or its driver is not installed (fails
   * instead when {@code ARCA_REQUIRE_BROWSER=true}, as in CI).
   */
  static ConsoleBrowser start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String missing =
          "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver):"
              + " apt-get install -y chromium chromium-driver";
      if ("true".equals(System.getenv("ARCA_REQUIRE_BROWSER"))) {
        throw new IllegalStateException(missing);
      }
      Assumptions.abort(missing);
    }
    Path profile = Files.createTempDirectory("arca-console-browser-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // The machine's network is closed: without these, Chromium keeps trying Google's services.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ConsoleBrowser(new ChromeDriver(service, options), profile);
  }

  /**
   * Opens {@code url} and signs in on Keycloak's page as {@code user} (password {@code user-pw}).
   */
  void signIn(String url, String user) {
    driver.get(url);
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(user + "-pw");
    driver.findElement(By.id("kc-login")).click();
    wait.until(ExpectedConditions.titleIs("Arca console"));
  }

  /** Opens a console page of this session. */
  void open(String url) {
    driver.get(url);
  }

  /** The element, once visible (up to 30 s). */
  WebElement await(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits until the element's text contains {@code text}; returns that text. */
  String awaitText(By by, String text) {
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by).getText();
  }

  /** The text of the element. */
  String text(By by) {
    return driver.findElement(by).getText();
  }

  /** This browser's cookies (the console session), for a request made outside the browser. */
  Map<String, String> cookies() {
    Map<String, String> out = new LinkedHashMap<>();
    driver.manage().getCookies().forEach(c -> out.put(c.getName(), c.getValue()));
    return out;
  }

  /** Saves the page as {@code target/console-screenshots/<name>.png} (copied into docs/). */
  void screenshot(String name) throws IOException {
    Path dir = Path.of("target", "console-screenshots");
    Files.createDirectories(dir);
    // The page, not the window: grow the window to the page's height (up to 1500 px).
    Dimension window = driver.manage().window().getSize();
    long height =
        (Long) ((JavascriptExecutor) driver).executeScript("return document.body.scrollHeight;");
    driver
        .manage()
        .window()
        .setSize(new Dimension(window.getWidth(), (int) Math.min(height + 140, 1500)));
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    driver.manage().window().setSize(window);
    Files.write(dir.resolve(name + ".png"), png);
  }

  /**
   * Fails unless every form field of the page has a label a screen reader announces: a {@code
   * <label for>} naming it, or an {@code aria-label}.
   */
  void assertEveryFieldLabelled() {
    for (WebElement field :
        driver.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
      String id = field.getAttribute("id");
      boolean labelled =
          field.getAttribute("aria-label") != null
              || (id != null
                  && !driver.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty());
      if (!labelled) {
        throw new AssertionError(
            "field '"
                + field.getAttribute("name")
                + "' of "
                + driver.getCurrentUrl()
                + " has no label");
      }
    }
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
