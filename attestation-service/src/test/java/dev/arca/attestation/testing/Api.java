// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** REST Assured requests as a given realm user (or anonymous). */
public final class Api {
  private Api() {}

  public static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.of(user));
  }

  public static RequestSpecification anonymous() {
    return given();
  }
}
