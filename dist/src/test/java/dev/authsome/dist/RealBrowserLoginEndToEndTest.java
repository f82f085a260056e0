package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser: headless Debian chromium (driven by Selenium through /usr/bin/chromedriver) fills authsome's
 * client-credentials form and completes a PKCE login at the real authorization server, the way a user would.
 * {@code $BROWSER} is a recorder that only notes the URLs authsome asks to open; chromium then visits them.
 */
class RealBrowserLoginEndToEndTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;

  @BeforeAll
  static void startServer() {
    OAuthLoginEndToEndTest.assumeOAuthComplete();
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      OidcServer.missing("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
    }
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void chromium_fillsTheClientForm_andCompletesAPkceLogin() throws Exception {
    OAuthLoginEndToEndTest.writeProvider(home, "testidp", "pkce", server.issuer());
    Path urls = tmp.resolve("urls.txt");
    Path recorder = tmp.resolve("record-url");
    Files.writeString(recorder, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> " + urls + "\n");
    Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
    int port = OAuthLoginEndToEndTest.freePort();
    Cli cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(port));
    cli.env.put("BROWSER", recorder.toString());
    cli.env.put("DISPLAY", "");

    Cli.Running login = cli.start(null, true, "login", "testidp", "--timeout", "120");
    WebDriver browser = chromium();
    try {
      String formUrl = awaitUrl(urls, 0);
      assertThat(formUrl).startsWith("http://127.0.0.1:" + port + "/auth/form/");
      browser.get(formUrl);
      assertThat(browser.findElement(By.name("client_secret")).getAttribute("type")).isEqualTo("password");
      assertThat(browser.getPageSource()).contains("http://127.0.0.1:" + port + "/auth/callback/oauth");
      browser.findElement(By.name("client_id")).sendKeys(OidcServer.BASIC_CLIENT);
      browser.findElement(By.name("client_secret")).sendKeys(OidcServer.BASIC_SECRET);
      browser.findElement(By.cssSelector("button[value=submit]")).click();
      waitFor(browser).until(d -> d.getPageSource().contains("authsome received the details"));

      String authorizationUrl = awaitUrl(urls, 1);
      assertThat(authorizationUrl).startsWith(server.issuer() + "/auth?");
      browser.get(authorizationUrl);
      browser.findElement(By.name("login")).sendKeys("dana");
      browser.findElement(By.name("password")).sendKeys("any-password");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
      waitFor(browser).until(d -> d.getPageSource().contains("name=\"prompt\" value=\"consent\"")
          || d.getCurrentUrl().contains("/auth/callback/oauth"));
      if (!browser.getCurrentUrl().contains("/auth/callback/oauth")) {
        browser.findElement(By.cssSelector("button[type=submit]")).click();
      }
      waitFor(browser).until(d -> d.getCurrentUrl().startsWith("http://127.0.0.1:" + port + "/auth/callback/oauth"));
      assertThat(browser.getPageSource()).contains("Login complete");
    } finally {
      browser.quit();
    }

    Result result = login.finish();
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out() + result.err()).doesNotContain(OidcServer.BASIC_SECRET);
    assertThat(cli.run("get", "testidp", "--json").json().toString()).contains("dana");
  }

  private WebDriver chromium() throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static WebDriverWait waitFor(WebDriver browser) {
    return new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  private static String awaitUrl(Path urls, int index) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (Files.exists(urls)) {
        List<String> lines = Files.readAllLines(urls);
        if (lines.size() > index) {
          return lines.get(index).strip();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("authsome never asked to open URL #" + (index + 1));
  }
}
