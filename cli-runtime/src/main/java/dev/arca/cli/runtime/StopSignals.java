// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * How the runtime stops on SIGTERM (systemd, {@code docker stop}) and SIGINT (Ctrl-C): the first
 * signal asks the main thread to stop (it is interrupted, so a wait or a download ends, then it
 * closes the agent: the models' sessions are closed and their plaintext wiped) and the JVM exits
 * only after that; a second signal halts at once.
 *
 * <p>Why not a shutdown hook: ONNX Runtime registers a hook of its own that frees its environment,
 * and hooks run together. A session still open then, or being made from a model that is loading,
 * crashes the JVM in native code, which writes an {@code hs_err} file that may hold memory of the
 * model. Handling the signal first keeps every session closed before any hook runs.
 *
 * <p>The handler uses {@code sun.misc.Signal} (module {@code jdk.unsupported}) through reflection,
 * since compiling against it warns; where it is missing (or with {@code -Xrs}) the runtime falls
 * back to a shutdown hook that only wakes the main thread, as before.
 */
final class StopSignals {
  private final Thread main;
  private final PrintWriter err;
  private final CountDownLatch requested = new CountDownLatch(1);

  private StopSignals(Thread main, PrintWriter err) {
    this.main = main;
    this.err = err;
  }

  /**
   * Installs the handlers for {@code main}, the thread that runs and closes the agent.
   *
   * @param err where the second signal says it halts
   */
  static StopSignals install(Thread main, PrintWriter err) {
    StopSignals stop = new StopSignals(main, err);
    boolean term = stop.handle("TERM");
    boolean interrupt = stop.handle("INT");
    if (!term || !interrupt) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(stop.requested::countDown, "arca-runtime-stop"));
    }
    return stop;
  }

  /** Whether a stop was asked for. */
  boolean requested() {
    return requested.getCount() == 0;
  }

  /** Waits for a stop signal. */
  void await() throws InterruptedException {
    requested.await();
  }

  /**
   * Called by the main thread once it saw {@link #requested()}: clears the interrupt the signal
   * sent it, so closing the agent is not interrupted. Synchronized with the handler, so the
   * interrupt cannot arrive after this.
   */
  synchronized void acknowledge() {
    Thread.interrupted();
  }

  private synchronized void received(String signal) {
    if (requested()) {
      err.println("arca: second " + signal + ", halting now");
      err.flush();
      Runtime.getRuntime().halt(130);
    }
    requested.countDown();
    main.interrupt();
  }

  /** Routes the named signal to {@link #received}; false if this JVM cannot. */
  private boolean handle(String name) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      InvocationHandler call =
          (proxy, method, args) -> {
            if (method.getName().equals("handle") && args != null && args.length == 1) {
              received("SIG" + name);
              return null;
            }
            return switch (method.getName()) { // Object's methods, for the JDK's bookkeeping
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> "arca-runtime-stop-" + name;
            };
          };
      Object proxy =
          Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, call);
      signal
          .getMethod("handle", signal, handler)
          .invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
      return true;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return false; // no sun.misc.Signal, or the signal is reserved (-Xrs)
    }
  }
}
