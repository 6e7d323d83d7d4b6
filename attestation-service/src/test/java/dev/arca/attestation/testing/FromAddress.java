// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.http.conn.params.ConnRoutePNames;

/**
 * Requests sent from another loopback source address ({@code 127.0.0.x}; Linux routes all of 127/8
 * to the loopback interface). The service sees that address as the client's, so a test that floods
 * the service is limited as a client of its own and leaves the {@code 127.0.0.1} that every other
 * test shares alone.
 */
public final class FromAddress {
  private FromAddress() {}

  /** An anonymous request whose connection comes from {@code address}. */
  // REST Assured configures its Apache HttpClient 4 only through these (deprecated) parameters.
  @SuppressWarnings("deprecation")
  public static RequestSpecification of(String address) {
    InetAddress local;
    try {
      local = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
    return given()
        .config(
            RestAssured.config()
                .httpClient(
                    HttpClientConfig.httpClientConfig()
                        .setParam(ConnRoutePNames.LOCAL_ADDRESS, local)));
  }
}
