package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserOpenerTest {
  @TempDir
  Path tmp;

  @Test
  void command_replacesPercentSOrAppendsTheUrl_withoutAShell() {
    assertThat(BrowserOpener.command("firefox --new-tab", "http://x/?a=1&b=2"))
        .containsExactly("firefox", "--new-tab", "http://x/?a=1&b=2");
    assertThat(BrowserOpener.command("  w3m  -o %s  ", "http://x/")).containsExactly("w3m", "-o", "http://x/");
    assertThat(BrowserOpener.command("echo $(rm -rf x); %s", "u")).containsExactly("echo", "$(rm", "-rf", "x);", "u");
    assertThat(BrowserOpener.command("   ", "u")).isEmpty();
  }

  @Test
  void open_usesTheFirstBrowserEntryThatStarts_andAlwaysPrintsTheUrl() throws Exception {
    Path out = tmp.resolve("opened.txt");
    Path script = tmp.resolve("fake-browser");
    Files.writeString(script, "#!/bin/sh\nprintf '%s' \"$2\" > " + out + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    StringWriter progress = new StringWriter();
    BrowserOpener opener = new BrowserOpener(
        Optional.of("/nonexistent/browser:" + script + " --flag %s:/never/reached"), false, false,
        new PrintWriter(progress));

    boolean started = opener.open("Open this:", URI.create("http://127.0.0.1:1/auth?x=1"));

    assertThat(started).isTrue();
    assertThat(progress.toString()).contains("Open this:").contains("http://127.0.0.1:1/auth?x=1");
    for (int i = 0; i < 100 && !Files.exists(out); i++) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(out)).isEqualTo("http://127.0.0.1:1/auth?x=1");
  }

  @Test
  void open_withNoBrowser_onlyPrints() {
    StringWriter progress = new StringWriter();
    BrowserOpener opener = new BrowserOpener(Optional.of("/bin/true"), true, true, new PrintWriter(progress));

    assertThat(opener.canOpen()).isFalse();
    assertThat(opener.open("Visit:", URI.create("http://example.test/"))).isFalse();
    assertThat(progress.toString()).contains("http://example.test/");
  }

  @Test
  void plan_withoutBrowserOrDisplay_triesNothing_andWithADisplayThePlatformOpener() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    assertThat(new BrowserOpener(Optional.empty(), false, false, sink).plan("u")).isEmpty();
    List<String[]> withDisplay = new BrowserOpener(Optional.empty(), false, true, sink).plan("u");
    assertThat(withDisplay).hasSize(1);
    assertThat(withDisplay.get(0)[0]).isIn("xdg-open", "open", "rundll32");
  }
}
