package dev.authsome.vault.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.authsome.core.AuthsomeException;
import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the shared vault lives: a PostgreSQL connection URI as psql takes it
 * ({@code postgresql://user@host:port/db?sslmode=verify-full}, also {@code postgres://}) or a pgJDBC URL
 * ({@code jdbc:postgresql://host:port/db?user=...}), translated to the pgJDBC form. Query parameters pass through
 * ({@code sslmode}, {@code sslrootcert}, ...), with libpq's {@code connect_timeout} and {@code application_name}
 * renamed to pgJDBC's. A password anywhere in the URL is refused: the URL sits in argv, config.yaml and messages.
 *
 * @param jdbcUrl the pgJDBC URL, with no user and no password in it
 * @param user the user name, when the URL names one
 * @param hostPort the first {@code host:port}, for messages
 * @param database the database name
 * @param parameters the query parameters, pgJDBC names
 */
record PostgresUrl(String jdbcUrl, Optional<String> user, String hostPort, String database,
    Map<String, String> parameters) {

  static final int DEFAULT_PORT = 5432;

  PostgresUrl {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses {@code url}, which came from {@code origin} (named in errors, e.g. {@code AUTHSOME_VAULT_URL}).
   *
   * @throws AuthsomeException usage error for a malformed URL or one holding a password; the message never repeats
   *     the URL (it may hold the password)
   */
  static PostgresUrl parse(String url, String origin) {
    String text = url.strip();
    String rest;
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql://")) {
      rest = text.substring("jdbc:postgresql://".length());
    } else if (lower.startsWith("postgresql://")) {
      rest = text.substring("postgresql://".length());
    } else if (lower.startsWith("postgres://")) {
      rest = text.substring("postgres://".length());
    } else if (lower.startsWith("jdbc:postgresql:")) {
      rest = "/" + text.substring("jdbc:postgresql:".length()); // jdbc:postgresql:db means localhost:5432/db
    } else {
      throw AuthsomeException.usage("the vault URL (from " + origin + ") is not a PostgreSQL URL; use"
          + " postgresql://USER@HOST:PORT/DATABASE (psql's form) or jdbc:postgresql://HOST:PORT/DATABASE");
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int fragment = query.indexOf('#');
    if (fragment >= 0) {
      query = query.substring(0, fragment);
    }
    int slash = rest.indexOf('/');
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    String path = slash >= 0 ? rest.substring(slash + 1) : "";
    String user = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      if (userInfo.contains(":")) {
        throw passwordRefused(origin);
      }
      user = decode(userInfo, origin);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq >= 0 ? pair.substring(0, eq) : pair, origin);
      String value = eq >= 0 ? decode(pair.substring(eq + 1), origin) : "";
      switch (name) {
        case "password", "sslpassword" -> throw passwordRefused(origin);
        case "user" -> user = value;
        case "connect_timeout" -> parameters.put("connectTimeout", value);
        case "application_name" -> parameters.put("ApplicationName", value);
        case "dbname" -> path = value;
        default -> parameters.put(name, value);
      }
    }
    if (authority.isEmpty()) {
      authority = "localhost";
    }
    String firstHost = authority.split(",")[0];
    // "[::1]" alone has colons but no port; "[::1]:5433" and "db.example:5433" end in one
    String hostPort = firstHost.matches(".*(\\]|^[^:]*):\\d+$") ? firstHost : firstHost + ":" + DEFAULT_PORT;
    String database = decode(path, origin);
    if (database.isEmpty()) {
      database = user != null ? user : "postgres";
    }
    if (database.contains("/") || database.contains("?")) {
      throw AuthsomeException.usage("the vault URL (from " + origin + ") names database '" + database + "', which"
          + " is not a database name");
    }
    var jdbc = new StringBuilder("jdbc:postgresql://").append(authority).append('/')
        .append(URLEncoderLite.encode(database));
    String separator = "?";
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      jdbc.append(separator).append(URLEncoderLite.encode(p.getKey())).append('=')
          .append(URLEncoderLite.encode(p.getValue()));
      separator = "&";
    }
    return new PostgresUrl(jdbc.toString(), Optional.ofNullable(user).filter(u -> !u.isEmpty()), hostPort,
        database, parameters);
  }

  /** {@code host:port/database}, for {@code describe()} and messages: no user, no parameters. */
  String display() {
    return hostPort + "/" + database;
  }

  /** The host of {@link #hostPort()}. */
  String host() {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  /** The port of {@link #hostPort()}. */
  int port() {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static AuthsomeException passwordRefused(String origin) {
    return AuthsomeException.usage("the vault URL (from " + origin + ") contains a password, which is refused: it"
        + " would be kept in argv, config.yaml and logs; remove it from the URL and set PGPASSWORD, a 0600"
        + " ~/.pgpass (or PGPASSFILE) line, or the keychain item authsome-postgres instead");
  }

  private static String decode(String text, String origin) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), UTF_8);
    } catch (IllegalArgumentException e) {
      throw AuthsomeException.usage("the vault URL (from " + origin + ") has a broken %-escape; correct it");
    }
  }

  /** Percent-encodes what would break a pgJDBC URL; leaves the rest readable. */
  static final class URLEncoderLite {
    private URLEncoderLite() {
    }

    static String encode(String text) {
      var out = new StringBuilder();
      for (byte b : text.getBytes(UTF_8)) {
        int c = b & 0xff;
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
          out.append((char) c);
        } else {
          out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
      }
      return out.toString();
    }
  }
}
