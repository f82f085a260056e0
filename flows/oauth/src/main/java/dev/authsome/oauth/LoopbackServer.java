package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The local web server on {@code 127.0.0.1}: the OAuth redirect target {@code /auth/callback/oauth} and the browser
 * form {@code /auth/form/ID}. It binds the loopback address only and answers only requests whose {@code Host} is
 * {@code 127.0.0.1:PORT} or {@code localhost:PORT}, so a web page cannot reach it through a rebound DNS name.
 *
 * <p>A callback is accepted only with the {@code state} of the authorization request waiting for it; any other is
 * answered 400 and ignored (the login keeps waiting for the real one). When the issuer is known, a differing RFC 9207
 * {@code iss} fails the login, and a missing one fails it when the server advertises the parameter.
 */
public final class LoopbackServer implements AutoCloseable {
  /** The path of the OAuth redirect URI. */
  public static final String CALLBACK_PATH = "/auth/callback/oauth";
  private static final String FORM_PATH = "/auth/form/";
  private static final int MAX_FORM_BYTES = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final int port;
  private final PrintWriter progress;
  private volatile PendingAuthorization pending;
  private final Map<String, FormSession> forms = new ConcurrentHashMap<>();

  private LoopbackServer(HttpServer server, ExecutorService executor, PrintWriter progress) {
    this.server = server;
    this.executor = executor;
    this.port = server.getAddress().getPort();
    this.progress = progress;
  }

  /**
   * Starts listening on {@code 127.0.0.1:port} ({@code 0} picks a free port). A taken port is a
   * {@link ErrorCode#PORT_IN_USE} error naming the port and {@code AUTHSOME_CALLBACK_PORT}.
   *
   * @param progress where to note rejected callbacks
   */
  /**
   * What a failed bind means. Java reports every bind errno as a {@link BindException}, told apart only by the
   * system's message: only EADDRINUSE is a port in use (exit 9); a port the user may not bind (EACCES, below 1024)
   * or a missing loopback address (EADDRNOTAVAIL) needs another fix, and saying "in use" would send the user
   * looking for a program that does not exist.
   */
  static AuthsomeException bindFailure(int port, BindException e) {
    String why = String.valueOf(e.getMessage());
    if (why.contains("in use")) {
      return new AuthsomeException(ErrorCode.PORT_IN_USE, "port " + port + " on 127.0.0.1 is already in use "
          + "(another login in progress?); stop the program using it, or set " + OAuthSettings.CALLBACK_PORT_ENV
          + " to a free port (and register http://127.0.0.1:PORT" + CALLBACK_PATH + " with the provider)", e);
    }
    if (why.contains("Permission denied") || why.contains("Access is denied") || why.contains("access permissions")) {
      return new AuthsomeException(ErrorCode.USAGE, "cannot listen on 127.0.0.1:" + port + " (" + why + "): this"
          + " user may not use that port; set " + OAuthSettings.CALLBACK_PORT_ENV + " to a port from 1024 to 65535"
          + " (and register http://127.0.0.1:PORT" + CALLBACK_PATH + " with the provider)", e);
    }
    return new AuthsomeException(ErrorCode.UNEXPECTED, "cannot listen on 127.0.0.1:" + port + " (" + why + "): "
        + "check that this machine has the loopback address 127.0.0.1", e);
  }

  public static LoopbackServer start(int port, PrintWriter progress) {
    requireNonNull(progress, "progress");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 8);
    } catch (BindException e) {
      throw bindFailure(port, e);
    } catch (IOException e) {
      throw new AuthsomeException(ErrorCode.UNEXPECTED, "cannot listen on 127.0.0.1:" + port + " ("
          + e.getMessage() + ")", e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "authsome-loopback");
      t.setDaemon(true);
      return t;
    });
    LoopbackServer loopback = new LoopbackServer(server, executor, progress);
    server.setExecutor(executor);
    server.createContext("/", loopback::handleCounted);
    server.start();
    return loopback;
  }

  /** The port listened on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT/auth/callback/oauth}. */
  public URI redirectUri() {
    return redirectUri(port);
  }

  /** The redirect URI for {@code port}. */
  public static URI redirectUri(int port) {
    return URI.create("http://127.0.0.1:" + port + CALLBACK_PATH);
  }

  /**
   * Prepares to receive the authorization response for {@code state}; call before sending the user to the
   * authorization endpoint.
   *
   * @param issuer the expected issuer, if known
   * @param issRequired the server advertises RFC 9207, so a response without {@code iss} is refused
   */
  public PendingAuthorization expectAuthorization(State state, Optional<Issuer> issuer, boolean issRequired) {
    PendingAuthorization p = new PendingAuthorization(state, issuer, issRequired);
    pending = p;
    return p;
  }

  /** An authorization response being waited for. */
  public static final class PendingAuthorization {
    private final State state;
    private final Optional<Issuer> issuer;
    private final boolean issRequired;
    private final CompletableFuture<AuthorizationSuccessResponse> result = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    private PendingAuthorization(State state, Optional<Issuer> issuer, boolean issRequired) {
      this.state = state;
      this.issuer = issuer;
      this.issRequired = issRequired;
    }

    /**
     * Waits for the response. Timeout and interruption are {@link ErrorCode#INPUT_CANCELLED}; a refused
     * authorization (for example {@code access_denied}) is {@link ErrorCode#AUTHENTICATION_FAILED}.
     */
    public AuthorizationSuccessResponse await(Duration timeout) {
      return LoopbackServer.await(result, timeout, "no authorization response arrived");
    }
  }

  /** Registers a form and returns its URL. */
  FormSession openForm(InputRequest request) {
    FormSession session = new FormSession(Html.token(16), Html.token(32), request);
    forms.put(session.id, session);
    return session;
  }

  /** A form waiting to be submitted. */
  final class FormSession {
    private final String id;
    private final String csrf;
    private final InputRequest request;
    private final CompletableFuture<Map<String, Secret>> result = new CompletableFuture<>();
    /** Set before the final answer is written, so that a replay racing with the completion finds the form closed. */
    private final java.util.concurrent.atomic.AtomicBoolean consumed = new java.util.concurrent.atomic.AtomicBoolean();

    private FormSession(String id, String csrf, InputRequest request) {
      this.id = id;
      this.csrf = csrf;
      this.request = request;
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + port + FORM_PATH + id);
    }

    Map<String, Secret> await(Duration timeout) {
      try {
        return LoopbackServer.await(result, timeout, "the form was not submitted");
      } finally {
        forms.remove(id);
      }
    }
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw AuthsomeException.cancelled(what + " within " + timeout.toSeconds() + " s; run the login again (use "
          + "--timeout SECONDS to wait longer)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AuthsomeException.cancelled("login cancelled");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthsomeException ae) {
        throw new AuthsomeException(ae.code(), ae.getMessage(), ae);
      }
      throw new AuthsomeException(ErrorCode.UNEXPECTED, String.valueOf(e.getCause()), e.getCause());
    }
  }

  /**
   * Stops the server once the pages being written are written: a login takes its code or form values before the page
   * that says so is sent (so a failed write loses nothing), and closing at once would cut that page off in the
   * browser. Waits at most {@value #CLOSE_GRACE_MILLIS} ms, so the port is free for the next step of the login.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
    synchronized (inFlight) {
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        try {
          inFlight.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    server.stop(0);
    executor.shutdownNow();
  }

  private static final long CLOSE_GRACE_MILLIS = 2000;
  /** Requests being handled; {@link #close} waits for them (bounded). */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  private void handleCounted(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      handle(exchange);
    } finally {
      synchronized (inFlight) {
        inFlight.decrementAndGet();
        inFlight.notifyAll();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
        // 421 Misdirected Request: the name the browser used is not ours (DNS rebinding).
        respond(exchange, 421, Html.message("Wrong address",
            "This server only answers http://127.0.0.1:" + port + "/ and http://localhost:" + port + "/."));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals(CALLBACK_PATH)) {
        handleCallback(exchange);
      } else if (path.startsWith(FORM_PATH)) {
        handleForm(exchange, path.substring(FORM_PATH.length()));
      } else {
        respond(exchange, 404, Html.message("Not found", "Nothing here."));
      }
    } catch (RuntimeException e) {
      // only while nothing was sent yet: after the headers a second answer cannot reach the browser
      if (exchange.getResponseCode() == -1) {
        respond(exchange, 500, Html.message("Error", "authsome could not handle this request."));
      }
    }
  }

  boolean hostAllowed(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port);
  }

  private void handleCallback(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      respond(exchange, 405, Html.message("Method not allowed", "The OAuth callback accepts GET only."));
      return;
    }
    PendingAuthorization p = pending;
    if (p == null || p.answered.get()) {
      respond(exchange, 400, Html.message("No login waiting",
          "authsome is not waiting for an authorization response. Start the login again."));
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    AuthorizationResponse response;
    try {
      response = AuthorizationResponse.parse(URI.create(redirectUri() + (query == null ? "" : "?" + query)));
    } catch (ParseException | IllegalArgumentException e) {
      progress.println("Ignored an invalid OAuth callback (" + printable(String.valueOf(e.getMessage()))
          + "); still waiting.");
      progress.flush();
      respond(exchange, 400, Html.message("Invalid callback", "This is not a valid OAuth authorization response."));
      return;
    }
    if (response.getState() == null || !response.getState().equals(p.state)) {
      progress.println("Rejected an OAuth callback whose state does not match this login (a stale or forged "
          + "browser tab); still waiting for the real one.");
      progress.flush();
      respond(exchange, 400, Html.message("Login rejected", "This authorization response does not belong to the "
          + "login authsome is waiting for (state mismatch). It was ignored."));
      return;
    }
    // Claimed before answering: the login completes once, and a duplicate racing with this one is turned away.
    if (!p.answered.compareAndSet(false, true)) {
      respond(exchange, 400, Html.message("Already received", "authsome already received the authorization response "
          + "for this login."));
      return;
    }
    Issuer iss = response.getIssuer();
    if (p.issuer.isPresent() && iss != null && !iss.equals(p.issuer.get())) {
      respond(exchange, 400, Html.message("Login failed", "The response came from an unexpected issuer."));
      p.result.completeExceptionally(AuthsomeException.authenticationFailed("the authorization response came from "
          + "issuer '" + iss + "' but the login was sent to '" + p.issuer.get() + "' (RFC 9207 mix-up check); "
          + "run the login again"));
      return;
    }
    if (p.issuer.isPresent() && iss == null && p.issRequired) {
      respond(exchange, 400, Html.message("Login failed", "The response does not name its issuer."));
      p.result.completeExceptionally(AuthsomeException.authenticationFailed("the authorization response has no "
          + "'iss' although " + p.issuer.get() + " advertises RFC 9207; run the login again"));
      return;
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      // Whoever can point the browser at this URL writes these words: they reach the terminal, so they are kept
      // short and stripped of line breaks and escape sequences.
      String described = printable(error.getCode() + (error.getDescription() == null ? "" : " ("
          + error.getDescription() + ")"));
      respond(exchange, 400, Html.message("Login failed", "The provider refused the authorization: " + described
          + ". You can close this window."));
      p.result.completeExceptionally(AuthsomeException.authenticationFailed("the provider refused the "
          + "authorization: " + described + "; run the login again and approve the request"));
      return;
    }
    // The login has its code before the page is written: a browser that closed the tab (or any failure to write the
    // page) must not drop a valid authorization.
    p.result.complete(response.toSuccessResponse());
    respondQuietly(exchange, 200, Html.message("Login complete",
        "authsome received the authorization. You can close this window and return to the terminal."));
  }

  private void handleForm(HttpExchange exchange, String id) throws IOException {
    FormSession session = forms.get(id);
    if (session == null || session.consumed.get()) {
      respond(exchange, 404, Html.message("Form closed", "This form is no longer open. Start the login again."));
      return;
    }
    String action = FORM_PATH + session.id;
    switch (exchange.getRequestMethod()) {
      case "GET" -> respond(exchange, 200, FormPage.render(session.request, action, session.csrf, Map.of(),
          Map.of()));
      case "POST" -> {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals("null") && !hostAllowed(origin.replaceFirst("^http://", ""))) {
          respond(exchange, 403, Html.message("Forbidden", "The form was submitted from another site."));
          return;
        }
        byte[] body = readLimited(exchange.getRequestBody());
        if (body == null) {
          respond(exchange, 413, Html.message("Too large", "The submitted form is too large."));
          return;
        }
        Map<String, List<String>> params = URLUtils.parseParameters(new String(body, StandardCharsets.UTF_8));
        if (!constantTimeEquals(first(params, "csrf_token"), session.csrf)) {
          respond(exchange, 403, Html.message("Forbidden", "The form's security token is missing or wrong. Reload "
              + "the form from the link authsome printed."));
          return;
        }
        if ("cancel".equals(first(params, "action"))) {
          if (!session.consumed.compareAndSet(false, true)) {
            respond(exchange, 404, Html.message("Form closed", "This form is no longer open."));
            return;
          }
          respond(exchange, 200, Html.message("Cancelled", "The login was cancelled. You can close this window."));
          session.result.completeExceptionally(AuthsomeException.cancelled("the form was cancelled in the browser"));
          return;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> shown = new LinkedHashMap<>();
        Map<String, Secret> values = new LinkedHashMap<>();
        for (InputField field : session.request.fields()) {
          if (field.readOnly()) {
            continue;
          }
          String value = first(params, field.name());
          value = value == null ? "" : value.trim();
          if (!field.secret()) {
            shown.put(field.name(), value);
          }
          if (value.isEmpty()) {
            if (field.required()) {
              errors.put(field.name(), field.label() + " is required.");
            }
            continue;
          }
          if (field.pattern() != null && !matches(field.pattern(), value)) {
            errors.put(field.name(), field.patternHint() != null ? field.patternHint()
                : field.label() + " does not have the expected format.");
            continue;
          }
          values.put(field.name(), Secret.of(value));
        }
        if (!errors.isEmpty()) {
          respond(exchange, 400, FormPage.render(session.request, action, session.csrf, shown, errors));
          return;
        }
        // The token is single use: the form is closed before answering, so a replay finds no open form.
        if (!session.consumed.compareAndSet(false, true)) {
          respond(exchange, 404, Html.message("Form closed", "This form is no longer open."));
          return;
        }
        session.result.complete(Map.copyOf(values)); // before the page, for the same reason as the callback
        respondQuietly(exchange, 200, Html.message("Thank you", "authsome received the details. You can close this "
            + "window and return to the terminal."));
      }
      default -> respond(exchange, 405, Html.message("Method not allowed", "Use the form."));
    }
  }

  /** One line of at most 200 printable characters: control, C1 and bidirectional-override characters become '?'. */
  static String printable(String text) {
    String t = text.replaceAll("[\\p{Cc}\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069]", "?");
    return t.length() > 200 ? t.substring(0, 197) + "..." : t;
  }

  private static boolean matches(String regex, String value) {
    try {
      return Pattern.compile(regex).matcher(value).matches();
    } catch (PatternSyntaxException e) {
      return true; // a broken pattern in a definition must not make the login impossible
    }
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static boolean constantTimeEquals(String given, String expected) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] readLimited(InputStream in) throws IOException {
    byte[] data = in.readNBytes(MAX_FORM_BYTES + 1);
    return data.length > MAX_FORM_BYTES ? null : data;
  }

  /** {@link #respond} after the outcome is settled: a page the browser no longer reads changes nothing. */
  private static void respondQuietly(HttpExchange exchange, int status, String html) {
    try {
      respond(exchange, status, html);
    } catch (IOException e) {
      // the browser went away; the login already has what it needed
    }
  }

  private static void respond(HttpExchange exchange, int status, String html) throws IOException {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "text/html; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    // The callback URL carries the authorization code: never let it leak through a Referer header.
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    String nonce = extractNonce(html);
    headers.set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'"
        + (nonce == null ? "" : "; style-src 'nonce-" + nonce + "'; script-src 'nonce-" + nonce + "'"));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String extractNonce(String html) {
    int i = html.indexOf("nonce=\"");
    if (i < 0) {
      return null;
    }
    int end = html.indexOf('"', i + 7);
    return end < 0 ? null : html.substring(i + 7, end);
  }
}
