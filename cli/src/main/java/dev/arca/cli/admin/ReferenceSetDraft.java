// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A reference-value set as {@code arca reference-values add} sends it ({@code POST
 * /v1/reference-values/{name}}, docs/api.md), checked here by the service's own rules (name,
 * subject prefix, hex values) so a typo is refused before a token is used or a version stored.
 *
 * @param measurements register name (e.g. {@code pcr.sha256.7}) to its accepted values, hex, in the
 *     order given
 */
public record ReferenceSetDraft(
    String format, String subject, Map<String, List<String>> measurements) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SUBJECT = Pattern.compile("(class|device|model):[A-Za-z0-9._:-]+");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{2,256}");
  // The service's limits (ReferenceValueResource.PutRequest).
  private static final int MAX_FORMAT = 32;
  private static final int MAX_SUBJECT = 160;
  private static final int MAX_REGISTERS = 256;

  /**
   * A checked draft.
   *
   * @throws IllegalArgumentException a field the service would refuse, saying which and why
   */
  public ReferenceSetDraft {
    if (format == null || format.isBlank() || format.length() > MAX_FORMAT) {
      throw new IllegalArgumentException(
          "--format: the evidence format (tpm2, nitro, psa, ...), 1-" + MAX_FORMAT + " characters");
    }
    if (subject == null || subject.length() > MAX_SUBJECT || !SUBJECT.matcher(subject).matches()) {
      throw new IllegalArgumentException(
          "--subject "
              + (subject == null ? "missing" : "'" + subject + "'")
              + ": must be class:<device class>, device:<id> or model:<id>");
    }
    if (measurements == null || measurements.isEmpty() || measurements.size() > MAX_REGISTERS) {
      throw new IllegalArgumentException(
          "give 1-" + MAX_REGISTERS + " registers (--measurement <register>=<hex>[,<hex>...])");
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    measurements.forEach(
        (register, values) -> {
          if (register == null || register.isBlank()) {
            throw new IllegalArgumentException("a measurement names no register");
          }
          if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("register '" + register + "' has no values");
          }
          for (String v : values) {
            if (v == null || !HEX.matcher(v).matches()) {
              throw new IllegalArgumentException(
                  "register '"
                      + register
                      + "': '"
                      + v
                      + "' is not hex (2-256 hex digits, e.g. the PCR's SHA-256)");
            }
          }
          copy.put(register, List.copyOf(values));
        });
    measurements = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Checks a set name as the service does.
   *
   * @throws IllegalArgumentException not 1-128 letters, digits, '.', '_' or '-'
   */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "set name '"
              + name
              + "': 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }

  /**
   * Adds one {@code --measurement} argument, {@code <register>=<hex>[,<hex>...]}, to {@code into}
   * (a register given twice accepts the values of both). Values are checked by the constructor.
   */
  public static void addMeasurement(Map<String, List<String>> into, String argument) {
    int eq = argument.indexOf('=');
    if (eq <= 0 || eq == argument.length() - 1) {
      throw new IllegalArgumentException(
          "--measurement '" + argument + "': expected <register>=<hex>[,<hex>...]");
    }
    List<String> values =
        into.computeIfAbsent(argument.substring(0, eq).strip(), k -> new ArrayList<>());
    for (String v : argument.substring(eq + 1).split(",", -1)) {
      values.add(v.strip());
    }
  }

  /**
   * Reads a set from a JSON or YAML file shaped like the request body, {@code {format, subject,
   * measurements: {register: [hex...]}}}; {@code format} and {@code subject} may be left to the
   * command line ({@code format}/{@code subject} arguments, null when not given), but not given
   * differently in both.
   */
  public static ReferenceSetDraft read(Path file, String format, String subject)
      throws IOException {
    Object doc;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(0);
      doc = new Yaml(options).load(r);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(
          file + ": not JSON or YAML: " + e.getMessage().replaceAll("\\s+", " "), e);
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          file + ": expected an object {format, subject, measurements: {register: [hex...]}}");
    }
    for (Object key : map.keySet()) {
      if (!List.of("format", "subject", "measurements").contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            file + ": unknown field '" + key + "' (fields: format, subject, measurements)");
      }
    }
    return new ReferenceSetDraft(
        merged(file, "format", text(file, map.get("format")), format),
        merged(file, "subject", text(file, map.get("subject")), subject),
        registers(file, map.get("measurements")));
  }

  private static String merged(Path file, String field, String inFile, String onCommandLine) {
    if (inFile != null && onCommandLine != null && !inFile.equals(onCommandLine)) {
      throw new IllegalArgumentException(
          "--" + field + " '" + onCommandLine + "' differs from the " + field + " in " + file);
    }
    return inFile != null ? inFile : onCommandLine;
  }

  private static Map<String, List<String>> registers(Path file, Object measurements) {
    if (!(measurements instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          file + ": 'measurements' must be an object {register: [hex...]}");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    map.forEach(
        (register, values) -> {
          List<String> hex = new ArrayList<>();
          if (values instanceof List<?> list) {
            list.forEach(v -> hex.add(text(file, v)));
          } else {
            hex.add(text(file, values));
          }
          out.put(String.valueOf(register), hex);
        });
    return out;
  }

  /** A scalar as text; YAML reads unquoted {@code 00} or {@code 1234} as a number, so refuse it. */
  private static String text(Path file, Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException(
        file + ": '" + value + "' must be a string (quote hex values in YAML)");
  }
}
