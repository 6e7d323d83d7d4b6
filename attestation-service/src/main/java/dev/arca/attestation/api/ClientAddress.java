// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The client's address as the rate limits key it: the remote address of the connection.
 *
 * <p>{@code X-Forwarded-For} and {@code Forwarded} are not read here: any client can send them and
 * so choose its own key. Behind a reverse proxy, set {@code
 * quarkus.http.proxy.proxy-address-forwarding=true} and {@code quarkus.http.proxy.trusted-proxies}
 * to that proxy; Vert.x then reports the address the proxy saw as the remote address, and only for
 * connections from it.
 *
 * <p>An IPv6 address is keyed by its /64 prefix: one host commonly holds a whole /64, and would
 * otherwise have 2^64 keys to rotate through.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** The key for {@code request}'s client; {@code unknown} if the connection has no address. */
  public static String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    if (host == null || host.isEmpty()) {
      return "unknown";
    }
    if (host.indexOf(':') < 0) {
      return host;
    }
    try {
      // A literal address: parsed, never looked up.
      InetAddress a = InetAddress.getByName(host);
      if (a instanceof Inet6Address) {
        return HexFormat.of().formatHex(Arrays.copyOf(a.getAddress(), 8)) + "::/64";
      }
      return a.getHostAddress();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
