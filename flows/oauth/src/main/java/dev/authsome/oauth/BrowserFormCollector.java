package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.InputRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * Collects a login's missing input through a form served on {@code 127.0.0.1} (the callback port): secrets as
 * password fields, the redirect URI with a copy button, a link to the provider's documentation, a one-time CSRF
 * token. The form's URL is printed and opened in the browser. The shell puts this collector in its input chain when
 * {@code $BROWSER} is set or a display exists and {@code --no-browser} is absent.
 *
 * <p>Cancelling the form, a timeout and an interrupt are {@link dev.authsome.core.ErrorCode#INPUT_CANCELLED}; a taken
 * port is {@link dev.authsome.core.ErrorCode#PORT_IN_USE}.
 */
public final class BrowserFormCollector implements InputCollector {
  private final int port;
  private final BrowserOpener opener;
  private final Duration timeout;
  private final PrintWriter progress;

  public BrowserFormCollector(int port, BrowserOpener opener, Duration timeout, PrintWriter progress) {
    this.port = port;
    this.opener = requireNonNull(opener, "opener");
    this.timeout = requireNonNull(timeout, "timeout");
    this.progress = requireNonNull(progress, "progress");
  }

  /** A collector for the given settings ({@code callback_port}, {@code $BROWSER}, timeout). */
  public static BrowserFormCollector of(OAuthSettings settings, PrintWriter progress) {
    return new BrowserFormCollector(settings.callbackPort(), new BrowserOpener(settings, progress),
        settings.timeout(), progress);
  }

  @Override
  public Map<String, Secret> collect(InputRequest request) {
    requireNonNull(request, "request");
    if (request.fields().stream().allMatch(f -> f.readOnly())) {
      return Map.of();
    }
    try (LoopbackServer server = LoopbackServer.start(port, progress)) {
      LoopbackServer.FormSession form = server.openForm(request);
      opener.open("Enter the details for " + request.title() + " in your browser:", form.url());
      return form.await(timeout);
    }
  }
}
