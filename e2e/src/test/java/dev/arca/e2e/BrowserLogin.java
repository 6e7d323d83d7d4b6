// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person does in the browser during an OIDC device login against the real Keycloak: open the
 * verification URL, sign in on Keycloak's own login form, accept if asked. Test-side only.
 */
final class BrowserLogin {
  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern HIDDEN =
      Pattern.compile(
          "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

  private BrowserLogin() {}

  /** Signs in at {@code verificationUri}; returns the last page's text. */
  static String confirm(String verificationUri, String user, String password) throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new LoopbackCookies())
            .followRedirects(HttpClient.Redirect.ALWAYS)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    String page =
        browser
            .send(
                HttpRequest.newBuilder(URI.create(verificationUri)).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (int i = 0; i < 4; i++) {
      Matcher m = FORM_ACTION.matcher(page);
      if (!m.find()) {
        return page;
      }
      String action = m.group(1).replace("&amp;", "&");
      String form;
      if (page.contains("name=\"username\"")) {
        form = "username=" + enc(user) + "&password=" + enc(password) + "&credentialId=";
      } else if (page.contains("name=\"accept\"")) {
        // The consent page: its hidden fields (a one-time code) and the "Yes" button.
        StringBuilder b = new StringBuilder("accept=");
        Matcher h = HIDDEN.matcher(page);
        while (h.find()) {
          b.append('&').append(enc(h.group(1))).append('=').append(enc(h.group(2)));
        }
        form = b.toString();
      } else {
        return page;
      }
      page =
          browser
              .send(
                  HttpRequest.newBuilder(URI.create(verificationUri).resolve(action))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(form))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    }
    return page;
  }

  /**
   * Keeps every cookie the server sets and sends them all back. Keycloak marks its login cookies
   * {@code Secure}; browsers treat loopback HTTP as a secure context and send them, the JDK's
   * {@code CookieManager} does not.
   */
  private static final class LoopbackCookies extends CookieHandler {
    private final java.util.Map<String, String> jar = new java.util.LinkedHashMap<>();

    @Override
    public synchronized java.util.Map<String, java.util.List<String>> get(
        URI uri, java.util.Map<String, java.util.List<String>> headers) {
      if (jar.isEmpty()) {
        return java.util.Map.of();
      }
      StringBuilder b = new StringBuilder();
      jar.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      return java.util.Map.of("Cookie", java.util.List.of(b.toString()));
    }

    @Override
    public synchronized void put(URI uri, java.util.Map<String, java.util.List<String>> headers) {
      headers.forEach(
          (name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
              for (String v : values) {
                String pair = v.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                  jar.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
              }
            }
          });
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
