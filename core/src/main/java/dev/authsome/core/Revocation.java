package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What revoking a connection's tokens at the provider (RFC 7009) achieved. {@code logout}, {@code revoke} and
 * {@code login --force} delete the local copy whatever the outcome, and tell the user when the provider did not
 * revoke it, since the tokens then stay valid there until they expire.
 *
 * <p>No component ever holds a token, or a request URL that may carry one (HubSpot puts the token in the path): only
 * the configured endpoint.
 *
 * @param outcome what happened
 * @param error the OAuth error code the provider answered ({@code invalid_client}), else {@code HTTP 503} for an
 *     error without an OAuth body; null unless {@link Outcome#REFUSED}
 * @param detail why the tokens were not revoked, one human-readable phrase; null when they were
 * @param endpoint the revocation endpoint as configured or discovered; null when there is none
 */
public record Revocation(Outcome outcome, @Nullable String error, @Nullable String detail,
    @Nullable String endpoint) {

  /** What happened at the provider. */
  public enum Outcome {
    /** The provider accepted every revocation request sent. */
    REVOKED,
    /** The provider answered a revocation request with an error. */
    REFUSED,
    /** The revocation endpoint could not be reached. */
    UNREACHABLE,
    /** Nothing can be revoked: no revocation endpoint, an API key, or a flow that cannot revoke. */
    UNSUPPORTED,
    /** Revocation was not attempted or broke before an answer: no client known, provider gone, a plugin error. */
    FAILED;

    /** The name in {@code --json} output and the audit log ({@code revoked}, {@code refused}, ...). */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Revocation {
    requireNonNull(outcome, "outcome");
    if (outcome != Outcome.REVOKED) {
      requireNonNull(detail, "detail");
    }
  }

  /** Every token sent was revoked. */
  public static Revocation revoked(@Nullable String endpoint) {
    return new Revocation(Outcome.REVOKED, null, null, endpoint);
  }

  /** The provider refused with {@code error} (an OAuth error code, or {@code HTTP nnn}). */
  public static Revocation refused(String error, String detail, @Nullable String endpoint) {
    return new Revocation(Outcome.REFUSED, requireNonNull(error, "error"), detail, endpoint);
  }

  /** The revocation endpoint could not be reached ({@code detail} says why, naming the endpoint). */
  public static Revocation unreachable(String detail, @Nullable String endpoint) {
    return new Revocation(Outcome.UNREACHABLE, null, detail, endpoint);
  }

  /** Nothing can be revoked at the provider ({@code detail} says why). */
  public static Revocation unsupported(String detail) {
    return new Revocation(Outcome.UNSUPPORTED, null, detail, null);
  }

  /** Revocation was not attempted, or broke before the provider answered ({@code detail} says why). */
  public static Revocation failed(String detail) {
    return new Revocation(Outcome.FAILED, null, detail, null);
  }

  /** Whether the provider confirmed the revocation. */
  public boolean revokedAtProvider() {
    return outcome == Outcome.REVOKED;
  }
}
