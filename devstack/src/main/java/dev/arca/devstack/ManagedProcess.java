// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child process started by a {@link ProcessSupervisor}: its name, pid and log file, readiness
 * waits, and a tree-wide stop. Obtain it from {@link ProcessSupervisor#start}.
 */
public final class ManagedProcess {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final int QUOTED_LOG_LINES = 15;
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ManagedProcess start(
      String name, ProcessBuilder builder, Path log, ProcessSupervisor.Output output)
      throws DevStackException {
    builder.redirectErrorStream(true);
    if (output == ProcessSupervisor.Output.LOG_FILE) {
      builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    } else {
      builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new DevStackException(
          DevStackException.START_FAILED,
          "cannot start "
              + name
              + " ("
              + String.join(" ", builder.command())
              + "): "
              + e.getMessage(),
          e);
    }
    closeQuietly(process.getOutputStream()); // children read EOF, never wait on our stdin
    if (output == ProcessSupervisor.Output.CONSOLE) {
      Thread pump = new Thread(() -> pump(process, log, System.out), "arca-devstack-" + name);
      pump.setDaemon(true);
      pump.start();
    }
    return new ManagedProcess(name, process, log);
  }

  /** The short name given at start. */
  public String name() {
    return name;
  }

  /** The operating-system process id. */
  public long pid() {
    return process.pid();
  }

  /** The handle of the child itself (its descendants via {@link ProcessHandle#descendants()}). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** The file receiving the child's stdout and stderr. */
  public Path logFile() {
    return log;
  }

  /** Whether the child itself is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until {@code url} answers HTTP 200 to a GET.
   *
   * @throws DevStackException {@code devstack.exited} if the child exits first, {@code
   *     devstack.not-ready} after {@code timeout}, {@code devstack.interrupted}; the message quotes
   *     the last lines of the child's log
   */
  public void awaitHttp(URI url, Duration timeout, ReadinessListener listener)
      throws DevStackException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
    long start = System.nanoTime();
    String last = "no answer yet";
    while (true) {
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (ConnectException e) {
        last = "connection refused";
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(url.toString());
      }
      pause(start, timeout, listener, url.toString(), last);
    }
  }

  /** {@link #awaitHttp(URI, Duration, ReadinessListener)} without progress. */
  public void awaitHttp(URI url, Duration timeout) throws DevStackException {
    awaitHttp(url, timeout, ReadinessListener.NONE);
  }

  /**
   * Waits until a TCP connection to {@code port} on the loopback interface is accepted.
   *
   * @throws DevStackException as {@link #awaitHttp}
   */
  public void awaitPort(int port, Duration timeout, ReadinessListener listener)
      throws DevStackException {
    long start = System.nanoTime();
    String what = "port " + port;
    while (true) {
      String last;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        return;
      } catch (IOException e) {
        last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      pause(start, timeout, listener, what, last);
    }
  }

  /** {@link #awaitPort(int, Duration, ReadinessListener)} without progress. */
  public void awaitPort(int port, Duration timeout) throws DevStackException {
    awaitPort(port, timeout, ReadinessListener.NONE);
  }

  /**
   * Waits for a one-shot child (a build step) to finish and returns its exit code.
   *
   * @throws DevStackException {@code devstack.not-ready} if it runs longer than {@code timeout} (it
   *     is then stopped), {@code devstack.interrupted}
   */
  public int awaitExit(Duration timeout, ReadinessListener listener) throws DevStackException {
    long start = System.nanoTime();
    try {
      while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (elapsed.compareTo(timeout) >= 0) {
          stop(ProcessSupervisor.DEFAULT_GRACE);
          throw new DevStackException(
              DevStackException.NOT_READY,
              name + " did not finish within " + seconds(timeout) + " " + logQuote());
        }
        listener.waiting(elapsed);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted("exit");
    }
  }

  /** The last {@code n} lines of the child's log (fewer if the log is shorter; none if absent). */
  public List<String> lastLogLines(int n) {
    try {
      if (!Files.exists(log)) {
        return List.of();
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(log unreadable: " + e.getMessage() + ")");
    }
  }

  /**
   * Stops the child and its whole process tree: SIGTERM to all, up to {@code grace} for them to
   * exit, then SIGKILL to the rest, descendants before the child. Returns once none of them runs (a
   * zombie counts as stopped, {@link ProcessLiveness}) or SIGKILL was sent and a further 10 s
   * passed. Idempotent.
   */
  public void stop(Duration grace) {
    // Snapshot the tree before signalling: once the child dies its children are re-parented to
    // init and no longer show up as its descendants.
    ProcessHandle child = process.toHandle();
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(child);
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    if (ProcessLiveness.awaitStopped(tree, grace)) {
      return;
    }
    List<ProcessHandle> left = new ArrayList<>();
    for (ProcessHandle h : tree) {
      if (ProcessLiveness.running(h)) {
        h.descendants().forEach(left::add); // started during the grace period
        left.add(h);
      }
    }
    left.remove(child);
    // Descendants first, while their parents still run to reap them: an orphan's exit is reaped
    // only if the init it is re-parented to reaps, which a container's init may never do.
    left.forEach(ProcessHandle::destroyForcibly);
    ProcessLiveness.awaitStopped(left, KILL_WAIT);
    child.destroyForcibly();
    ProcessLiveness.awaitStopped(List.of(child), KILL_WAIT);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }

  private void pause(
      long start, Duration timeout, ReadinessListener listener, String what, String last)
      throws DevStackException {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (!process.isAlive()) {
      throw new DevStackException(
          DevStackException.EXITED,
          name
              + " exited with code "
              + process.exitValue()
              + " before "
              + what
              + " was ready "
              + logQuote());
    }
    if (elapsed.compareTo(timeout) >= 0) {
      throw new DevStackException(
          DevStackException.NOT_READY,
          name
              + ": "
              + what
              + " not ready within "
              + seconds(timeout)
              + " (last: "
              + last
              + ") "
              + logQuote());
    }
    listener.waiting(elapsed);
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(what);
    }
  }

  private DevStackException interrupted(String what) {
    return new DevStackException(
        DevStackException.INTERRUPTED, "interrupted while waiting for " + name + " " + what);
  }

  private String logQuote() {
    List<String> tail = lastLogLines(QUOTED_LOG_LINES);
    StringBuilder b = new StringBuilder("; see ").append(log);
    if (!tail.isEmpty()) {
      b.append("; its last lines:");
      tail.forEach(line -> b.append(System.lineSeparator()).append("  | ").append(line));
    }
    return b.toString();
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }

  private static void pump(Process process, Path log, PrintStream console) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        OutputStream file =
            Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        file.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        file.flush();
        console.println(line);
      }
    } catch (IOException e) {
      // The child closed its output or the log went away: nothing more to copy.
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // Nothing to do: the child just will not get EOF on stdin from us.
    }
  }
}
