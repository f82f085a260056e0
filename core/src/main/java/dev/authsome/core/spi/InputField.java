package dev.authsome.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One thing a login still needs from the user (client id, client secret, API key, base URL, scopes), or a
 * read-only hint to show (the redirect URI to register).
 *
 * @param name stable field name ({@code client_id}, {@code client_secret}, {@code api_key}, {@code base_url},
 *     {@code scopes}, {@code redirect_uri})
 * @param secret read with echo off / as a password field, never logged or printed back
 * @param required a missing required field is an error; an optional one may be left empty
 * @param readOnly a hint shown with a copy button, not asked for
 * @param pattern a regular expression the whole value must match
 * @param patternHint the message shown when it does not
 */
public record InputField(
    String name,
    String label,
    boolean secret,
    boolean required,
    boolean readOnly,
    @Nullable String defaultValue,
    @Nullable String pattern,
    @Nullable String patternHint) {

  public InputField {
    requireNonNull(name, "name");
    requireNonNull(label, "label");
  }

  public static InputField secret(String name, String label, boolean required) {
    return new InputField(name, label, true, required, false, null, null, null);
  }

  public static InputField text(String name, String label, boolean required, @Nullable String defaultValue) {
    return new InputField(name, label, false, required, false, defaultValue, null, null);
  }

  public static InputField hint(String name, String label, String value) {
    return new InputField(name, label, false, false, true, value, null, null);
  }

  public InputField withPattern(@Nullable String regex, @Nullable String hint) {
    return new InputField(name, label, secret, required, readOnly, defaultValue, regex, hint);
  }

  public Optional<String> defaults() {
    return Optional.ofNullable(defaultValue);
  }
}
