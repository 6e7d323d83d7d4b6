// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns I/O exceptions into one line a person can act on, never a class name. */
public final class IoErrors {
  private IoErrors() {}

  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return "no such file or folder: " + n.getFile();
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof ConnectException) {
      return "connection refused: is the service running at that address (--service)?";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage() + ": check the address (--service)";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time: is the address right and the service up?";
    }
    return e.getMessage() == null ? "input or output failed without a reason" : e.getMessage();
  }
}
