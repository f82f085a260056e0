package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens URLs in the user's browser, the way Python's {@code webbrowser} and {@code xdg-open} honour {@code $BROWSER}:
 * a {@code :}-separated list of commands, each split on whitespace (no shell involved), {@code %s} replaced by the URL
 * or else the URL appended. The first command that starts is used, without waiting for it to finish, and whether or
 * not a display exists: that is how remote browsers and headless approvers plug in. Without {@code $BROWSER} the
 * platform opener is used ({@code xdg-open}, {@code open}, {@code rundll32}) when a display exists.
 *
 * <p>The URL is always printed as well, so a user on another machine can open it by hand.
 */
public final class BrowserOpener {
  private final Optional<String> browser;
  private final boolean noBrowser;
  private final boolean display;
  private final PrintWriter progress;

  public BrowserOpener(OAuthSettings settings, PrintWriter progress) {
    this(settings.browser(), settings.noBrowser(), settings.display(), progress);
  }

  public BrowserOpener(Optional<String> browser, boolean noBrowser, boolean display, PrintWriter progress) {
    this.browser = requireNonNull(browser, "browser");
    this.noBrowser = noBrowser;
    this.display = display;
    this.progress = requireNonNull(progress, "progress");
  }

  /** Whether {@link #open} would try to start something (a browser command or, with a display, the platform's). */
  public boolean canOpen() {
    return !noBrowser && (browser.isPresent() || display);
  }

  /**
   * Prints {@code prompt} and the URL, then tries to open it. Returns whether a program was started.
   */
  public boolean open(String prompt, URI url) {
    progress.println(prompt);
    progress.println("  " + url);
    progress.flush();
    if (noBrowser) {
      return false;
    }
    for (List<String> command : commands(url.toString())) {
      if (start(command)) {
        return true;
      }
    }
    return false;
  }

  /** The commands to try for {@code url}, in order. */
  List<String[]> plan(String url) {
    return commands(url).stream().map(c -> c.toArray(String[]::new)).toList();
  }

  private List<List<String>> commands(String url) {
    List<List<String>> out = new ArrayList<>();
    if (browser.isPresent()) {
      for (String entry : browser.get().split(":")) {
        List<String> command = command(entry, url);
        if (!command.isEmpty()) {
          out.add(command);
        }
      }
      return out;
    }
    if (!display) {
      return out;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("win")) {
      out.add(List.of("rundll32", "url.dll,FileProtocolHandler", url));
    } else if (os.contains("mac")) {
      out.add(List.of("open", url));
    } else {
      out.add(List.of("xdg-open", url));
    }
    return out;
  }

  /** One {@code $BROWSER} entry as a command: whitespace-split, {@code %s} replaced or the URL appended. */
  static List<String> command(String entry, String url) {
    List<String> words = new ArrayList<>();
    boolean substituted = false;
    for (String word : entry.trim().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (word.contains("%s")) {
        word = word.replace("%s", url);
        substituted = true;
      }
      words.add(word);
    }
    if (!words.isEmpty() && !substituted) {
      words.add(url);
    }
    return words;
  }

  private static boolean start(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = pb.start();
      // The browser gets no input from us; closing its stdin keeps it from waiting on our terminal.
      process.getOutputStream().close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
