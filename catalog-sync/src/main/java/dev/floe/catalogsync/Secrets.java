package dev.floe.catalogsync;

import dev.floe.core.config.CatalogSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credentials of one catalog, to blank out of every message about it: client libraries put
 * request details into exception messages, and those messages reach the log.
 */
final class Secrets {
  private static final String MASK = "****";
  private final List<String> values = new ArrayList<>();

  Secrets(CatalogSettings settings) {
    for (Map.Entry<String, String> e : settings.properties().entrySet()) {
      if (e.getKey().matches("(?i).*(password|secret|token|credential|key).*")) {
        add(e.getValue());
        // OAuth2 credentials are client_id:client_secret; the secret part alone is a secret too
        int colon = e.getValue().indexOf(':');
        if (colon > 0) {
          add(e.getValue().substring(colon + 1));
        }
      }
    }
    values.sort((a, b) -> b.length() - a.length()); // longest first: a part never spoils a whole
  }

  private void add(String value) {
    if (value != null && value.length() >= 4) { // shorter values would mask ordinary words
      values.add(value);
    }
  }

  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String s = text;
    for (String v : values) {
      s = s.replace(v, MASK);
    }
    return s;
  }

  /** The messages of an exception and its causes, scrubbed: what may be logged of a failure. */
  String describe(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (b.length() > 0) {
        b.append("; caused by ");
      }
      b.append(c.getClass().getSimpleName());
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage());
      }
    }
    return scrub(b.toString());
  }
}
