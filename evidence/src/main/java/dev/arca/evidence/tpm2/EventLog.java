// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A TCG PC Client event log (TCG PC Client Platform Firmware Profile, §10): either the SHA-1 format
 * (TCG_PCR_EVENT records) or the crypto-agile format (a TCG_PCR_EVENT holding the "Spec ID Event03"
 * header, then TCG_PCR_EVENT2 records with one digest per bank). All fields are little-endian.
 * Immutable.
 *
 * <p>{@link #replay(int)} recomputes the PCRs of one bank; the verifier compares them with the
 * quoted values. A log is only the platform's own account: a fact read from it ({@link
 * #secureBoot(Set)}) is believed only for PCRs that are quoted and replay to their quoted value.
 *
 * <p>Failure ids: {@code tpm2.eventlog.truncated}, {@code tpm2.eventlog.length-too-large}, {@code
 * tpm2.eventlog.malformed} (unknown digest algorithm, bad header), {@code
 * tpm2.eventlog.bank-missing} (an event lacks the bank being replayed).
 */
public final class EventLog {
  /** At most this many events; real boot logs have hundreds. */
  static final int MAX_EVENTS = 100_000;

  private static final byte[] SPEC_ID_03 = "Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STARTUP_LOCALITY =
      "StartupLocality\0".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_ALGORITHMS = 16;

  private final boolean cryptoAgile;
  private final List<TcgEvent> events;

  private EventLog(boolean cryptoAgile, List<TcgEvent> events) {
    this.cryptoAgile = cryptoAgile;
    this.events = List.copyOf(events);
  }

  /**
   * Parses an event log in either format.
   *
   * @throws EvidenceException with the ids above
   */
  public static EventLog parse(byte[] log) throws EvidenceException {
    StructReader r = new StructReader(log.clone(), ByteOrder.LITTLE_ENDIAN, "tpm2.eventlog");
    List<TcgEvent> events = new ArrayList<>();
    TcgEvent first = sha1Event(r);
    events.add(first);
    Map<Integer, Integer> sizes = specIdAlgorithms(first);
    boolean agile = sizes != null;
    while (r.remaining() > 0) {
      if (events.size() >= MAX_EVENTS) {
        throw new EvidenceException(
            "tpm2.eventlog.length-too-large",
            "the event log has more than " + MAX_EVENTS + " events");
      }
      events.add(agile ? agileEvent(r, sizes) : sha1Event(r));
    }
    return new EventLog(agile, events);
  }

  /** True for the crypto-agile format, false for the SHA-1 format. */
  public boolean cryptoAgile() {
    return cryptoAgile;
  }

  /** Every event, in log order (the crypto-agile header included). */
  public List<TcgEvent> events() {
    return events;
  }

  /** Whether every extending event carries a digest of {@code hashAlg}. */
  public boolean covers(int hashAlg) {
    for (TcgEvent e : events) {
      if (e.type() != TcgEvent.EV_NO_ACTION && !e.digests().containsKey(hashAlg)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Replays the log into the PCRs of one bank: each PCR starts at zero (PCR 0 at the startup
   * locality when the log records one) and each event extends it: PCR = H(PCR || digest).
   * EV_NO_ACTION events are not extended (§10.4.1).
   *
   * @return PCR index to replayed value, for the PCRs the log extends, ascending
   * @throws EvidenceException {@code tpm2.eventlog.bank-missing} when an event lacks the bank
   */
  public Map<Integer, byte[]> replay(int hashAlg) throws EvidenceException {
    int size = TpmAlg.digestSize(hashAlg);
    if (size < 0) {
      throw new EvidenceException(
          "tpm2.eventlog.bank-missing", "cannot replay bank " + TpmAlg.name(hashAlg));
    }
    Map<Integer, byte[]> pcrs = new TreeMap<>();
    byte locality = 0;
    for (TcgEvent e : events) {
      if (e.type() == TcgEvent.EV_NO_ACTION) {
        byte[] d = e.data();
        if (e.pcrIndex() == 0
            && d.length == STARTUP_LOCALITY.length + 1
            && startsWith(d, STARTUP_LOCALITY)) {
          locality = d[STARTUP_LOCALITY.length];
        }
        continue;
      }
      byte[] digest = e.digests().get(hashAlg);
      if (digest == null) {
        throw new EvidenceException(
            "tpm2.eventlog.bank-missing",
            "an event for PCR " + e.pcrIndex() + " has no " + TpmAlg.hashName(hashAlg) + " digest");
      }
      byte[] current = pcrs.get(e.pcrIndex());
      if (current == null) {
        current = new byte[size];
        if (e.pcrIndex() == 0) {
          current[size - 1] = locality;
        }
      }
      pcrs.put(e.pcrIndex(), TpmAlg.hash(hashAlg, current, digest));
    }
    return pcrs;
  }

  /**
   * The PCRs the log extends (every event but EV_NO_ACTION), ascending. A fact the log states about
   * one of them is evidence only when that PCR is quoted and replays to its quoted value.
   */
  public SortedSet<Integer> extendedPcrs() {
    SortedSet<Integer> pcrs = new TreeSet<>();
    for (TcgEvent e : events) {
      if (e.type() != TcgEvent.EV_NO_ACTION) {
        pcrs.add(e.pcrIndex());
      }
    }
    return pcrs;
  }

  /**
   * The Secure Boot state the log records: the EV_EFI_VARIABLE_DRIVER_CONFIG event for the {@code
   * SecureBoot} variable in PCR 7, believed only when its digests match its data (§10.4.4) and PCR
   * 7 is one of {@code verifiedPcrs}.
   *
   * @param verifiedPcrs the PCRs that are quoted and that this log replays to their quoted value;
   *     without PCR 7 among them the log's word is not evidence and the result is empty
   */
  public Optional<Boolean> secureBoot(Set<Integer> verifiedPcrs) {
    if (!verifiedPcrs.contains(7)) {
      return Optional.empty();
    }
    for (TcgEvent e : events) {
      if (e.type() != TcgEvent.EV_EFI_VARIABLE_DRIVER_CONFIG || e.pcrIndex() != 7) {
        continue;
      }
      byte[] data = e.data();
      Optional<byte[]> value = uefiVariable(data, "SecureBoot");
      if (value.isEmpty()) {
        continue;
      }
      for (Map.Entry<Integer, byte[]> d : e.digests().entrySet()) {
        if (TpmAlg.digestSize(d.getKey()) < 0
            || !MessageDigest.isEqual(TpmAlg.hash(d.getKey(), data), d.getValue())) {
          return Optional.empty();
        }
      }
      byte[] v = value.get();
      return Optional.of(v.length == 1 && v[0] == 1);
    }
    return Optional.empty();
  }

  /**
   * A JSON-friendly summary for raw claims: format, event count, counts by type. It states no fact
   * about the platform (see {@link #secureBoot(Set)} for those).
   */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", cryptoAgile ? "crypto-agile" : "sha1");
    m.put("events", events.size());
    Map<String, Integer> byType = new TreeMap<>();
    for (TcgEvent e : events) {
      byType.merge(e.typeName(), 1, Integer::sum);
    }
    m.put("eventTypes", byType);
    return m;
  }

  private static TcgEvent sha1Event(StructReader r) throws EvidenceException {
    int pcr = (int) r.u32();
    long type = r.u32();
    byte[] digest = r.bytes(20);
    byte[] data = r.bytes(length(r.u32()));
    return new TcgEvent(pcr, type, Map.of(TpmAlg.SHA1, digest), data);
  }

  private static TcgEvent agileEvent(StructReader r, Map<Integer, Integer> sizes)
      throws EvidenceException {
    int pcr = (int) r.u32();
    long type = r.u32();
    long count = r.u32();
    if (count > MAX_ALGORITHMS) {
      throw new EvidenceException(
          "tpm2.eventlog.length-too-large", "an event says it has " + count + " digests");
    }
    Map<Integer, byte[]> digests = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int alg = r.u16();
      Integer size = sizes.get(alg);
      if (size == null) {
        throw new EvidenceException(
            "tpm2.eventlog.malformed",
            "an event has a digest of "
                + TpmAlg.name(alg)
                + ", which the log header does not list");
      }
      digests.put(alg, r.bytes(size));
    }
    byte[] data = r.bytes(length(r.u32()));
    return new TcgEvent(pcr, type, digests, data);
  }

  /** The digest sizes of a crypto-agile log's Spec ID event, or null for a SHA-1 log. */
  private static Map<Integer, Integer> specIdAlgorithms(TcgEvent first) throws EvidenceException {
    byte[] d = first.data();
    if (first.type() != TcgEvent.EV_NO_ACTION || !startsWith(d, SPEC_ID_03)) {
      return null;
    }
    StructReader r = new StructReader(d, ByteOrder.LITTLE_ENDIAN, "tpm2.eventlog");
    r.skip(SPEC_ID_03.length);
    r.u32(); // platformClass
    r.u8(); // specVersionMinor
    int major = r.u8();
    r.u8(); // specErrata
    r.u8(); // uintnSize
    long n = r.u32();
    if (major != 2 || n == 0 || n > MAX_ALGORITHMS) {
      throw new EvidenceException(
          "tpm2.eventlog.malformed",
          "the Spec ID event says version " + major + " with " + n + " algorithms");
    }
    Map<Integer, Integer> sizes = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int alg = r.u16();
      int size = r.u16();
      int known = TpmAlg.digestSize(alg);
      if ((known >= 0 && known != size) || size > 64) {
        throw new EvidenceException(
            "tpm2.eventlog.malformed",
            "the Spec ID event gives " + TpmAlg.name(alg) + " a digest size of " + size);
      }
      sizes.put(alg, size);
    }
    return sizes;
  }

  /**
   * The value of a UEFI_VARIABLE_DATA (GUID, name length, data length, UTF-16LE name, data) named
   * {@code name}, if the bytes are one.
   */
  static Optional<byte[]> uefiVariable(byte[] data, String name) {
    try {
      StructReader r = new StructReader(data, ByteOrder.LITTLE_ENDIAN, "tpm2.eventlog");
      r.skip(16);
      long nameChars = r.u64();
      long dataLen = r.u64();
      if (nameChars < 0 || nameChars > 512 || dataLen < 0 || dataLen > r.remaining()) {
        return Optional.empty();
      }
      String n = new String(r.bytes((int) nameChars * 2), StandardCharsets.UTF_16LE);
      byte[] value = r.bytes((int) dataLen);
      return n.equals(name) ? Optional.of(value) : Optional.empty();
    } catch (EvidenceException e) {
      return Optional.empty();
    }
  }

  private static int length(long n) throws EvidenceException {
    if (n > Integer.MAX_VALUE) {
      throw new EvidenceException(
          "tpm2.eventlog.length-too-large", "an event says its data has " + n + " bytes");
    }
    return (int) n;
  }

  private static boolean startsWith(byte[] d, byte[] prefix) {
    return d.length >= prefix.length
        && Arrays.equals(d, 0, prefix.length, prefix, 0, prefix.length);
  }
}
