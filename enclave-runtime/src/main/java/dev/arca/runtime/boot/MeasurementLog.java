// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import dev.arca.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The runtime's measurement log: an ordered list of (name, SHA-256) entries for its jars, its
 * configuration and its policy-relevant flags. Its {@link #digest()} is bound into the
 * attestation's report data, and on a TPM each entry is also extended into an application PCR, so
 * the verifier can replay the log against the quote.
 *
 * <p>Entry digest: SHA-256 of the measured bytes. Log digest: SHA-256 over each entry's line {@code
 * <hex sha256> <name>\n} in order — the same text {@link #text()} returns, so an auditor can
 * recompute it from the log alone.
 *
 * <p>The JVM's input arguments ({@link #measureJvmArguments}) are one entry {@value #JVM_ARGUMENTS}
 * over the exact list, followed by one entry {@code jvm:arg:<argument>} per argument, in order, so
 * the log shows what the runtime started with. In a name the argument is {@linkplain #escapeName
 * escaped}; {@link #jvmArguments()} reads the list back and checks it against both digests.
 */
public final class MeasurementLog {
  /** One measured item. */
  public record Entry(String name, byte[] sha256) {
    public Entry {
      if (name.contains("\n") || name.contains(" ")) {
        throw new IllegalArgumentException("measurement names have no spaces or newlines: " + name);
      }
      sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
      return sha256.clone();
    }

    String line() {
      return HexFormat.of().formatHex(sha256) + " " + name + "\n";
    }
  }

  /** The name of the entry over the JVM's whole input-argument list. */
  public static final String JVM_ARGUMENTS = "jvm:arguments";

  /** The prefix of the entry naming one JVM input argument. */
  public static final String JVM_ARG = "jvm:arg:";

  private final List<Entry> entries = new ArrayList<>();

  /** Measures bytes under a name. */
  public synchronized Entry measure(String name, byte[] bytes) {
    Entry e = new Entry(name, Sha256.hash(bytes));
    entries.add(e);
    return e;
  }

  /** Measures a file's content, streaming. */
  public synchronized Entry measureFile(String name, Path file) throws IOException {
    MessageDigest md = Sha256.newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    Entry e = new Entry(name, md.digest());
    entries.add(e);
    return e;
  }

  /**
   * Measures the JVM's input arguments: first {@value #JVM_ARGUMENTS}, whose digest is SHA-256 over
   * each argument's UTF-8 bytes followed by one zero byte (arguments are C strings, so this encodes
   * the list exactly: order, count and content); then, per argument, {@value #JVM_ARG} followed by
   * the {@linkplain #escapeName escaped} argument, whose digest is SHA-256 of the argument's UTF-8
   * bytes.
   *
   * @param arguments the arguments, e.g. {@code RuntimeMXBean.getInputArguments()}
   */
  public synchronized void measureJvmArguments(List<String> arguments) {
    MessageDigest list = Sha256.newDigest();
    for (String a : arguments) {
      list.update(a.getBytes(StandardCharsets.UTF_8));
      list.update((byte) 0);
    }
    entries.add(new Entry(JVM_ARGUMENTS, list.digest()));
    for (String a : arguments) {
      measure(JVM_ARG + escapeName(a), a.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The JVM arguments this log names ({@link #measureJvmArguments}), in order, after checking each
   * {@value #JVM_ARG} entry's digest against its name and the {@value #JVM_ARGUMENTS} digest
   * against the list.
   *
   * @return the arguments; empty when the log has no {@value #JVM_ARGUMENTS} entry
   * @throws IllegalArgumentException when a digest does not match the names, or the entries are not
   *     one {@value #JVM_ARGUMENTS} followed by its {@value #JVM_ARG} entries
   */
  public synchronized List<String> jvmArguments() {
    int at = -1;
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).name().equals(JVM_ARGUMENTS)) {
        if (at >= 0) {
          throw new IllegalArgumentException("more than one " + JVM_ARGUMENTS + " entry");
        }
        at = i;
      }
    }
    int end = at + 1;
    while (at >= 0 && end < entries.size() && entries.get(end).name().startsWith(JVM_ARG)) {
      end++;
    }
    for (int i = 0; i < entries.size(); i++) {
      if ((i <= at || i >= end) && entries.get(i).name().startsWith(JVM_ARG)) {
        throw new IllegalArgumentException(
            "entry " + (i + 1) + " does not directly follow " + JVM_ARGUMENTS);
      }
    }
    if (at < 0) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    MessageDigest list = Sha256.newDigest();
    for (int i = at + 1; i < end; i++) {
      Entry e = entries.get(i);
      String arg = unescapeName(e.name().substring(JVM_ARG.length()));
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(e.sha256, Sha256.hash(bytes))) {
        throw new IllegalArgumentException(
            "entry " + (i + 1) + " " + e.name() + ": digest does not match its argument");
      }
      list.update(bytes);
      list.update((byte) 0);
      args.add(arg);
    }
    if (!MessageDigest.isEqual(entries.get(at).sha256, list.digest())) {
      throw new IllegalArgumentException(
          JVM_ARGUMENTS + ": digest does not match the " + args.size() + " arguments that follow");
    }
    return List.copyOf(args);
  }

  /**
   * Escapes text for a measurement name: each UTF-8 byte outside printable ASCII ({@code
   * 0x21..0x7e}), and {@code %} itself, becomes {@code %XX} (upper-case hex). The result has no
   * spaces or newlines, so it cannot add or forge a log line.
   */
  public static String escapeName(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return sb.toString();
  }

  /**
   * Reverses {@link #escapeName}.
   *
   * @throws IllegalArgumentException on a {@code %} not followed by two hex digits, or a character
   *     {@link #escapeName} never writes
   */
  public static String unescapeName(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%') {
        if (i + 3 > name.length()) {
          throw new IllegalArgumentException("truncated escape in " + name);
        }
        out.write(HexFormat.fromHexDigits(name, i + 1, i + 3));
        i += 2;
      } else if (c > 0x20 && c < 0x7f) {
        out.write(c);
      } else {
        throw new IllegalArgumentException("unescaped character " + (int) c + " in " + name);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The entries in order. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The log as text, one {@code <sha256 hex> <name>} line per entry. */
  public synchronized String text() {
    StringBuilder sb = new StringBuilder();
    entries.forEach(e -> sb.append(e.line()));
    return sb.toString();
  }

  /** SHA-256 of {@link #text()}. */
  public byte[] digest() {
    return Sha256.newDigest().digest(text().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The value a SHA-256 PCR holds after being reset to zero and extended with every entry's digest
   * in order ({@code PCR = SHA-256(PCR || entry)}, TPM 2.0 Part 1 §17.2): what a TPM attester's
   * application PCR must show for this log.
   */
  public synchronized byte[] replayedPcr() {
    byte[] pcr = new byte[32];
    for (Entry e : entries) {
      MessageDigest md = Sha256.newDigest();
      md.update(pcr);
      md.update(e.sha256);
      pcr = md.digest();
    }
    return pcr;
  }

  /**
   * Parses a log from its text form (as an auditor or the service receives it).
   *
   * @throws IllegalArgumentException naming the first malformed line
   */
  public static MeasurementLog parse(String text) {
    MeasurementLog log = new MeasurementLog();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      int sp = line.indexOf(' ');
      if (sp != 64) {
        throw new IllegalArgumentException(
            "measurement log line " + lineNo + " is not '<64 hex digits> <name>'");
      }
      try {
        log.entries.add(new Entry(line.substring(65), HexFormat.of().parseHex(line, 0, 64)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "measurement log line " + lineNo + " is malformed: " + e.getMessage());
      }
    }
    return log;
  }
}
