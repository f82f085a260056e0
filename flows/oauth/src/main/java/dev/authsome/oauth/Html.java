package dev.authsome.oauth;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/** The few HTML pages the loopback server shows. Every interpolated value is escaped. */
final class Html {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Html() {
  }

  /** Escapes text for element content and double-quoted attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A random URL-safe token of {@code bytes} random bytes. */
  static String token(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Whether {@code url} is an absolute http(s) URL, the only kind rendered as a link. */
  static boolean isWebUrl(String url) {
    try {
      URI uri = URI.create(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A complete page. {@code body} is trusted markup built from escaped values; {@code nonce} allows the page's own
   * inline script and nothing else (Content-Security-Policy).
   */
  static String page(String title, String body, String nonce) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + escape(title) + " - authsome</title><style nonce=\"" + nonce + "\">"
        + "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}"
        + "label{display:block;margin:1rem 0 .25rem;font-weight:600}"
        + "input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}"
        + ".copy{display:flex;gap:.5rem}.copy input{flex:1;background:#f4f4f4}"
        + "button{padding:.5rem 1rem;font-size:1rem;margin-top:1rem}"
        + ".error{color:#a00;background:#fee;padding:.5rem;border-radius:4px}.field-error{color:#a00}"
        + "</style></head><body><h1>" + escape(title) + "</h1>" + body + "</body></html>";
  }

  /** A page with one message. */
  static String message(String title, String text) {
    return page(title, "<p>" + escape(text) + "</p>", token(12));
  }
}
