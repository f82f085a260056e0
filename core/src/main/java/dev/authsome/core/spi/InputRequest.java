package dev.authsome.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A set of fields to collect in one go (one browser form, or consecutive terminal prompts).
 *
 * @param title e.g. {@code GitHub credentials}
 * @param docsUrl the provider's documentation, linked from the form
 */
public record InputRequest(String provider, String title, @Nullable String docsUrl, List<InputField> fields) {
  public InputRequest {
    requireNonNull(provider, "provider");
    requireNonNull(title, "title");
    fields = List.copyOf(fields);
  }
}
