// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Starts the child processes of a local stack and guarantees they stop: on {@link #close()}, and on
 * JVM shutdown through a shutdown hook, which also runs on Ctrl-C (SIGINT) and SIGTERM. Each child
 * is stopped with its whole process tree: SIGTERM to the child and every descendant, a grace
 * period, then SIGKILL to whatever is left. Children are stopped in reverse start order, so a
 * service stops before the identity provider it depends on.
 *
 * <p>Each child's stdout and stderr go to {@code <run directory>/<name>.log}, never to the console
 * unless {@link Output#CONSOLE} is asked for. Readiness waits ({@link ManagedProcess#awaitHttp},
 * {@link ManagedProcess#awaitPort}) fail with a {@link DevStackException} that quotes the last
 * lines of that log.
 *
 * <p>Not covered: SIGKILL of this JVM itself (no hook runs); the children then outlive it. Thread
 * safe.
 */
public final class ProcessSupervisor implements AutoCloseable {

  /** Where a child's output goes. */
  public enum Output {
    /** Only to the child's log file in the run directory (the default). */
    LOG_FILE,
    /** To the log file and, line by line, to this JVM's stdout (for a user watching a step). */
    CONSOLE
  }

  /** Default time a process tree gets between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);

  private final Path runDirectory;
  private final Duration grace;
  private final List<ManagedProcess> children = new ArrayList<>();
  private final List<Runnable> onSignal = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private ProcessSupervisor(Path runDirectory, Duration grace) {
    this.runDirectory = runDirectory;
    this.grace = grace;
    this.shutdownHook = new Thread(this::stopOnShutdown, "arca-devstack-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Creates a supervisor whose children log into {@code runDirectory} (created if missing), with
   * the {@link #DEFAULT_GRACE} grace period.
   *
   * @throws DevStackException {@code devstack.start-failed} if the directory cannot be created
   */
  public static ProcessSupervisor create(Path runDirectory) throws DevStackException {
    return create(runDirectory, DEFAULT_GRACE);
  }

  /**
   * Creates a supervisor with an explicit grace period between SIGTERM and SIGKILL.
   *
   * @throws DevStackException {@code devstack.start-failed} if the directory cannot be created
   */
  public static ProcessSupervisor create(Path runDirectory, Duration grace)
      throws DevStackException {
    Objects.requireNonNull(grace, "grace");
    try {
      Files.createDirectories(runDirectory);
    } catch (IOException e) {
      throw new DevStackException(
          DevStackException.START_FAILED,
          "cannot create run directory " + runDirectory + ": " + e.getMessage(),
          e);
    }
    return new ProcessSupervisor(runDirectory.toAbsolutePath(), grace);
  }

  /** The directory holding the children's log files. */
  public Path runDirectory() {
    return runDirectory;
  }

  /** Starts {@code builder} with its output in {@code <run directory>/<name>.log}. */
  public ManagedProcess start(String name, ProcessBuilder builder) throws DevStackException {
    return start(name, builder, Output.LOG_FILE);
  }

  /**
   * Starts a child and supervises it from now on. The builder's command, environment and working
   * directory are used as given; its output redirection is replaced.
   *
   * @param name short name for messages and the log file ({@code keycloak}, {@code service})
   * @throws DevStackException {@code devstack.start-failed} if the process cannot be started or
   *     this supervisor is closed
   */
  public ManagedProcess start(String name, ProcessBuilder builder, Output output)
      throws DevStackException {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("name must be a plain file name part: " + name);
    }
    synchronized (this) {
      if (closed) {
        throw new DevStackException(
            DevStackException.START_FAILED, "cannot start " + name + ": the stack is stopping");
      }
      Path log = uniqueLog(name);
      ManagedProcess child = ManagedProcess.start(name, builder, log, output);
      children.add(child);
      return child;
    }
  }

  /**
   * Runs {@code action} first when the JVM shuts down while children still run (Ctrl-C, SIGTERM,
   * {@code System.exit}), not on {@link #close()}: e.g. the demo prints "interrupted, stopping
   * everything" and its summary. Actions must be quick; an exception in one is ignored.
   */
  public synchronized void onShutdownSignal(Runnable action) {
    onSignal.add(Objects.requireNonNull(action, "action"));
  }

  /** The children started so far, in start order (stopped ones included). */
  public synchronized List<ManagedProcess> children() {
    return List.copyOf(children);
  }

  /**
   * A TCP port on the loopback interface that was free a moment ago. Another process may take it
   * before the child binds it; on this single-user path the window is small and a clash shows up as
   * a readiness error naming the port.
   */
  public static int freeLoopbackPort() {
    return freeLoopbackPorts(1)[0];
  }

  /**
   * {@code count} distinct loopback ports that were free a moment ago: all are held open together
   * while drawn, so none repeats (drawn one by one, the kernel may hand out a just-closed port
   * again). The window in which another process may take one stays, as for {@link
   * #freeLoopbackPort()}.
   */
  public static int[] freeLoopbackPorts(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing a listening socket that accepted nothing; nothing to report
        }
      }
    }
  }

  /** Stops every child (reverse start order) and forgets the shutdown hook. Idempotent. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs (or ran) stopAll, which is idempotent.
    }
  }

  private void stopOnShutdown() {
    List<Runnable> actions;
    synchronized (this) {
      actions = closed ? List.of() : List.copyOf(onSignal);
    }
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        // Stopping the children matters more than the message.
      }
    }
    stopAll();
  }

  private void stopAll() {
    List<ManagedProcess> toStop;
    synchronized (this) {
      closed = true;
      toStop = new ArrayList<>(children);
    }
    Collections.reverse(toStop);
    for (ManagedProcess child : toStop) {
      try {
        child.stop(grace);
      } catch (RuntimeException e) {
        // One child's failed stop must not leave the ones after it running.
        child.handle().descendants().forEach(ProcessHandle::destroyForcibly);
        child.handle().destroyForcibly();
      }
    }
  }

  private Path uniqueLog(String name) {
    Path log = runDirectory.resolve(name + ".log");
    for (int i = 2; Files.exists(log); i++) {
      log = runDirectory.resolve(name + "-" + i + ".log");
    }
    return log;
  }
}
