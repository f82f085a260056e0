package dev.authsome.core.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * Reads the one shape authsome writes times in, {@link Instant#toString()} of a year 0000-9999
 * ({@code 2026-12-06T12:14:11.394043284Z}, with 0, 3, 6 or 9 fraction digits and seconds always present), without
 * the general ISO-8601 parser: {@code list} reads two or three times per connection, and with 10,000 connections
 * {@code Instant.parse} was a tenth of the listing (JFR). Anything else gives null and the caller falls back to
 * {@link Instant#parse}, so the result is always what {@code Instant.parse} gives.
 */
final class CanonicalInstant {
  private CanonicalInstant() {
  }

  static @Nullable Instant parse(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // between '.' and 'Z'
      if (s.charAt(19) != '.' || (fraction != 3 && fraction != 6 && fraction != 9)) {
        return null;
      }
      int value = digits(s, 20, n - 1);
      if (value < 0) {
        return null;
      }
      nanos = value * (fraction == 3 ? 1_000_000 : fraction == 6 ? 1_000 : 1);
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // 30 February and the like
    }
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
