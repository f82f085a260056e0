package dev.authsome.core.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A record's value together with its version, as {@link Vault#getVersioned} reads it; hand the version back to
 * {@link Vault#compareAndPut} to write only if nobody wrote in between (optimistic versioning).
 *
 * @param value the record's plaintext
 * @param version never {@link #ABSENT}; equal versions of one key mean equal values
 */
public record VersionedValue(String value, long version) {

  /** The version {@link Vault#compareAndPut} expects for a record that must not exist yet. */
  public static final long ABSENT = 0;

  public VersionedValue {
    requireNonNull(value, "value");
    if (version == ABSENT) {
      throw new IllegalArgumentException("version 0 means absent; a stored value has another version");
    }
  }

  /**
   * The version the default methods of {@link Vault} give a value: the first 8 bytes of its SHA-256 (never
   * {@link #ABSENT}). A backend with real row versions uses those instead.
   */
  public static long versionOf(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = v << 8 | (digest[i] & 0xff);
      }
      return v == ABSENT ? 1 : v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e); // required of every Java platform
    }
  }
}
