// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.testing;

import dev.arca.client.infer.InferenceHttp;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.crypto.ohttp.KeyConfig;
import dev.arca.crypto.ohttp.MediaTypes;
import dev.arca.crypto.ohttp.OhttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;

/**
 * A client of a runtime's {@code /v1/infer} on loopback: fetches the runtime's OHTTP key
 * configuration once, then encapsulates each Binary HTTP request and decapsulates each answer.
 * Thread-safe.
 */
public final class OhttpInference {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final KeyConfig keys;

  public OhttpInference(int port) throws Exception {
    this.base = URI.create("http://127.0.0.1:" + port);
    byte[] list =
        http.send(
                HttpRequest.newBuilder(base.resolve("/v1/ohttp-keys")).build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    this.keys = KeyConfig.decodeList(list).get(0);
  }

  /**
   * Sends one request.
   *
   * @return an {@link InferenceMessages.Response} or {@link InferenceMessages.Refusal}
   * @throws IOException when the HTTP answer is not a 200 {@code message/ohttp-res}
   */
  public InferenceMessages.Answer infer(InferenceMessages.Request request) throws Exception {
    OhttpClient.Request req =
        OhttpClient.encapsulateRequest(
            keys, InferenceHttp.encodeRequest(request, base.getAuthority()), RANDOM);
    HttpResponse<byte[]> res =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v1/infer"))
                .header("Content-Type", MediaTypes.REQUEST)
                .POST(HttpRequest.BodyPublishers.ofByteArray(req.encapsulated()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IOException("HTTP " + res.statusCode() + " from /v1/infer");
    }
    return InferenceHttp.decodeAnswer(req.decapsulateResponse(MediaTypes.RESPONSE, res.body()));
  }
}
