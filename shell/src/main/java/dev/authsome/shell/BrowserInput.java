package dev.authsome.shell;

import dev.authsome.core.Settings;
import dev.authsome.oauth.BrowserFormCollector;
import dev.authsome.oauth.BrowserOpener;
import dev.authsome.oauth.OAuthSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * The browser form as a login input source: it applies when {@code $BROWSER} is set or a display exists and
 * {@code --no-browser} is absent, whatever standard input is (a terminal user with a browser gets the form, whose
 * password fields keep secrets out of the terminal's scrollback).
 */
final class BrowserInput {
  private BrowserInput() {
  }

  static InputCollectors.Source source(App app, boolean noBrowser, Duration timeout) {
    Settings settings = app.engine().settings();
    Map<String, String> options = Map.of(
        "callback_port", Integer.toString(settings.callbackPort()),
        "no_browser", Boolean.toString(noBrowser));
    OAuthSettings oauth = OAuthSettings.from(options, app.environment(), timeout);
    PrintWriter progress = app.out().err();
    boolean applies = new BrowserOpener(oauth, progress).canOpen();
    return new InputCollectors.Source("browser", applies, () -> BrowserFormCollector.of(oauth, progress));
  }
}
