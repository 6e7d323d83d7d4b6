package dev.arca.runtime.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

  private final List<Entry> entries = new ArrayList<>();

  /** Measures bytes under a name. */
  public synchronized Entry measure(String name, byte[] bytes) {
    Entry e = new Entry(name, sha256().digest(bytes));
    entries.add(e);
    return e;
  }

  /** Measures a file's content, streaming. */
  public synchronized Entry measureFile(String name, Path file) throws IOException {
    MessageDigest md = sha256();
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
    return sha256().digest(text().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The value a SHA-256 PCR holds after being reset to zero and extended with every entry's digest
   * in order ({@code PCR = SHA-256(PCR || entry)}, TPM 2.0 Part 1 §17.2): what a TPM attester's
   * application PCR must show for this log.
   */
  public synchronized byte[] replayedPcr() {
    byte[] pcr = new byte[32];
    for (Entry e : entries) {
      MessageDigest md = sha256();
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
