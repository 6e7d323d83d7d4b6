// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network between a device and the service, on loopback: relays TCP connections to a port until
 * {@link #cut()}, after which every open connection is closed and every new one is closed as soon
 * as it is accepted (a WAN outage as the runtime's HTTP client sees it: no answer). {@link
 * #restore()} ends the outage.
 */
public final class TcpRelay implements AutoCloseable {
  private final int target;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpRelay(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop, "relay-accept");
  }

  /** A relay to {@code port} on loopback. */
  public static TcpRelay to(int port) throws IOException {
    return new TcpRelay(port);
  }

  /** The base URI through the relay. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Starts the outage. */
  public void cut() {
    cut = true;
    open.forEach(TcpRelay::closeQuietly);
    open.clear();
  }

  /** Ends the outage. */
  public void restore() {
    cut = false;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        if (cut) {
          closeQuietly(in);
          continue;
        }
        Socket out = new Socket();
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
        open.add(in);
        open.add(out);
        daemon(() -> pipe(in, out), "relay-up");
        daemon(() -> pipe(out, in), "relay-down");
      } catch (IOException e) {
        // closed, or the target refused one connection: the next accept goes on
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // the other side closed, or the outage cut it
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
    try {
      server.close();
    } catch (IOException e) {
      // closing a listening socket fails only when it already is
    }
  }
}
