package dev.authsome.core;

import static java.util.Objects.requireNonNull;

/**
 * One environment variable {@code export} prints.
 *
 * @param field the credential field it carries ({@code access_token}, {@code refresh_token}, {@code api_key})
 */
public record ExportVariable(String name, Secret value, String provider, String connection, String field) {
  public ExportVariable {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    requireNonNull(provider, "provider");
    requireNonNull(connection, "connection");
    requireNonNull(field, "field");
  }
}
