// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.boot;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runtime's configuration file: every command-line flag of {@code arca runtime} can be given
 * here instead, as a Java properties file (UTF-8) whose keys are the long flag names without the
 * leading dashes. A repeatable flag takes a comma-separated list; a switch takes {@code true} or
 * {@code false}. Flags given on the command line win over the file.
 *
 * <pre>
 * service = https://attest.example.com
 * attester = tpm2
 * listen = 127.0.0.1:8443
 * state = /var/lib/arca
 * model = conv2d:synthetic, squeezenet:synthetic
 * publishers = /etc/arca/publishers.json
 * </pre>
 *
 * <p>An unknown key is an error, not ignored: a misspelt {@code insecure} or {@code state} must not
 * silently fall back to a default.
 */
public final class ConfigFile {
  private final Map<String, String> values;

  private ConfigFile(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Reads a configuration file.
   *
   * @param knownKeys the keys allowed (the long flag names without dashes)
   * @throws IOException when the file cannot be read
   * @throws ConfigFileException naming an unknown key, an empty value or a malformed line
   */
  public static ConfigFile read(Path file, Set<String> knownKeys)
      throws IOException, ConfigFileException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), knownKeys);
  }

  /**
   * Parses configuration text.
   *
   * @param source where the text came from, for messages
   * @throws ConfigFileException naming an unknown key, an empty value or a malformed line
   */
  public static ConfigFile parse(String text, String source, Set<String> knownKeys)
      throws ConfigFileException {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      // Properties reports a malformed unicode escape as IllegalArgumentException.
      throw new ConfigFileException(
          "config.malformed", "configuration file " + source + " is malformed: " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    Set<String> unknown = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      if (!knownKeys.contains(key)) {
        unknown.add(key);
        continue;
      }
      String value = p.getProperty(key).strip();
      if (value.isEmpty()) {
        throw new ConfigFileException(
            "config.empty-value", "configuration file " + source + ": '" + key + "' has no value");
      }
      values.put(key, value);
    }
    if (!unknown.isEmpty()) {
      throw new ConfigFileException(
          "config.unknown-key",
          "configuration file "
              + source
              + " has unknown keys "
              + unknown
              + "; known keys: "
              + new TreeSet<>(knownKeys));
    }
    return new ConfigFile(Collections.unmodifiableMap(values));
  }

  /** The keys set in the file. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** A key's value as written (without surrounding blanks). */
  public String value(String key) {
    return values.get(key);
  }

  /** A key's value as a comma-separated list, for repeatable flags. */
  public List<String> list(String key) {
    List<String> items = new ArrayList<>();
    for (String item : values.getOrDefault(key, "").split(",", -1)) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return List.copyOf(items);
  }
}
