package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Vault record keys: {@code profile:default:<provider>:connection:<name>}, {@code ...:client} (the provider's default
 * client), {@code ...:client:<client id, URL-encoded>} (another client a connection's tokens were issued to),
 * {@code ...:state}.
 */
final class Keys {
  static final String PROFILE = "default";
  static final String ROOT = "profile:" + PROFILE + ":";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private Keys() {
  }

  static String connection(String provider, String connection) {
    return ROOT + provider + ":connection:" + connection;
  }

  static String connections(String provider) {
    return ROOT + provider + ":connection:";
  }

  static String client(String provider) {
    return ROOT + provider + ":client";
  }

  /** A client a connection uses other than the provider's default; the id is encoded, as keys are split on ':'. */
  static String client(String provider, String clientId) {
    return clients(provider) + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
  }

  /** The prefix of {@link #client(String, String)} keys. */
  static String clients(String provider) {
    return ROOT + provider + ":client:";
  }

  static String state(String provider) {
    return ROOT + provider + ":state";
  }

  /** Checks a connection name given on the command line; keys are split on ':' so it may not contain one. */
  static String checkConnectionName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw AuthsomeException.usage("Connection name '" + name + "' is not allowed; use letters, digits, '.', '_' "
          + "and '-' (starting with a letter or digit).");
    }
    return name;
  }

  /** Checks a provider name given on the command line. */
  static String checkProviderName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw AuthsomeException.providerNotFound(name);
    }
    return name;
  }
}
