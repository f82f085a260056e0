package dev.authsome.flow.devicecode;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.ClientConfig;
import dev.authsome.oauth.OAuthClients;
import dev.authsome.oauth.OAuthConnections;
import dev.authsome.oauth.OAuthFlow;
import dev.authsome.oauth.OAuthSupport;
import dev.authsome.oauth.ScopeParameter;
import dev.authsome.oauth.ServerEndpoints;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import dev.authsome.oauth.TokenEndpoint;
import dev.authsome.oauth.TokenSet;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code device_code}: the OAuth 2.0 device authorization grant (RFC 8628), for machines without a browser (SSH).
 * Prints the verification URI, the user code and {@code verification_uri_complete} with a live countdown, then polls
 * the token endpoint: every {@code interval} seconds (5 by default), 5 s slower after {@code slow_down}, until the
 * user approves ({@code access_denied} fails the login with exit 4) or the code expires. Ctrl-C (a thread interrupt)
 * cancels with exit 8. Public clients need no secret. The grant's refresh token refreshes the connection and logout
 * revokes it, as for every {@link OAuthFlow}, with the client that polled for it (a public client sends only its id).
 */
public final class DeviceCodeFlow implements OAuthFlow {
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
  private static final Duration SLOW_DOWN = Duration.ofSeconds(5);

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public DeviceCodeFlow() {
  }

  @Override
  public String id() {
    return "device_code";
  }

  @Override
  public Set<AuthType> authTypes() {
    return Set.of(AuthType.OAUTH2);
  }

  @Override
  public String description() {
    return "OAuth 2.0 device authorization (RFC 8628): approve on any device, no local browser needed";
  }

  @Override
  public FlowResult login(FlowContext context) {
    OAuthSupport support = OAuthSupport.of(context);
    ProviderDefinition provider = context.provider();
    ServerEndpoints endpoints = support.endpoints(EnumSet.of(Endpoint.DEVICE_AUTHORIZATION, Endpoint.TOKEN));
    endpoints.require(Endpoint.DEVICE_AUTHORIZATION);
    OAuthClients.Resolved client = OAuthClients.resolve(context, endpoints, OAuthClients.SecretNeed.OPTIONAL,
        Optional.empty());
    List<String> scopes = deviceScopes(provider, client.scopes());
    DeviceAuthorizationSuccessResponse authorization = authorize(support, endpoints, client.config(), scopes);
    PrintWriter progress = context.progress();
    progress.println("To authorize authsome with " + provider.displayName() + ", visit:");
    progress.println("  " + authorization.getVerificationURI());
    progress.println("and enter the code: " + authorization.getUserCode().getValue());
    if (authorization.getVerificationURIComplete() != null) {
      progress.println("Or open this link, which carries the code:");
      progress.println("  " + authorization.getVerificationURIComplete());
      if (support.opener().canOpen()) {
        support.opener().open("Opening the browser at the verification page:",
            authorization.getVerificationURIComplete());
      }
    }
    progress.flush();
    TokenSet tokens = poll(support, endpoints, client.config(), authorization);
    ConnectionRecord record = OAuthConnections.connected(context, id(), tokens, scopes,
        OAuthConnections.account(support, endpoints, tokens), client.config());
    progress.println("Authorized with " + provider.displayName() + ".");
    progress.flush();
    return new FlowResult(record, client.newRecord().orElse(null));
  }

  /**
   * The scopes to request: the definition's {@code device_scopes} in place of its default {@code scopes} (Google
   * allows only a few scopes in the device flow), else what the login resolved ({@code --scopes}, the client's).
   */
  static List<String> deviceScopes(ProviderDefinition provider, List<String> resolved) {
    return provider.oauthConfig().filter(o -> resolved.equals(o.scopes())).map(o -> o.deviceScopes())
        .orElse(resolved);
  }

  private static DeviceAuthorizationSuccessResponse authorize(OAuthSupport support, ServerEndpoints endpoints,
      ClientConfig client, List<String> scopes) {
    var builder = client.deviceAuthorizationRequest(endpoints.require(Endpoint.DEVICE_AUTHORIZATION));
    var oauth = support.context().provider().oauthConfig();
    if (!scopes.isEmpty() && ScopeParameter.nonStandard(oauth)) {
      builder.customParameter("scope", oauth.orElseThrow().joinScopes(scopes));
    } else if (!scopes.isEmpty()) {
      builder.scope(new Scope(scopes.toArray(String[]::new)));
    }
    HTTPRequest request = support.quirks().adjustDeviceAuthorizationRequest(builder.build().toHTTPRequest());
    HTTPResponse response = support.http().send(request, ErrorCode.AUTHENTICATION_FAILED,
        "device authorization endpoint");
    DeviceAuthorizationResponse parsed;
    try {
      parsed = DeviceAuthorizationResponse.parse(response);
    } catch (ParseException e) {
      throw AuthsomeException.authenticationFailed("the device authorization endpoint " + request.getURI()
          + " answered HTTP " + response.getStatusCode() + " with something that is not a device authorization "
          + "response (" + e.getMessage() + ")");
    }
    if (parsed instanceof DeviceAuthorizationErrorResponse error) {
      throw AuthsomeException.authenticationFailed("the device authorization request was refused: "
          + describe(error.getErrorObject()) + "; check the client id and scopes");
    }
    return parsed.toSuccessResponse();
  }

  private static TokenSet poll(OAuthSupport support, ServerEndpoints endpoints, ClientConfig client,
      DeviceAuthorizationSuccessResponse authorization) {
    FlowContext context = support.context();
    Clock clock = context.clock();
    PrintWriter progress = context.progress();
    Duration lifetime = authorization.getLifetime() > 0 ? Duration.ofSeconds(authorization.getLifetime())
        : DEFAULT_LIFETIME;
    Instant deadline = clock.instant().plus(lifetime);
    Duration interval = authorization.getInterval() > 0 ? Duration.ofSeconds(authorization.getInterval())
        : DEFAULT_INTERVAL;
    boolean json = context.provider().oauthConfig().map(o -> "json".equals(o.deviceTokenRequest())).orElse(false);
    TokenRequest request = client.tokenRequest(endpoints.require(Endpoint.TOKEN),
        new DeviceCodeGrant(authorization.getDeviceCode())).build();
    TokenEndpoint tokenEndpoint = support.tokenEndpoint();
    boolean warnedUnreachable = false;
    try {
      while (true) {
        countdown(progress, clock, deadline, interval);
        if (!clock.instant().isBefore(deadline)) {
          throw AuthsomeException.authenticationFailed("the device code expired before the request was approved; "
              + "run the login again and approve it within " + lifetime.toMinutes() + " min");
        }
        TokenEndpoint.Outcome outcome;
        try {
          outcome = tokenEndpoint.send(request, ErrorCode.AUTHENTICATION_FAILED, json);
        } catch (AuthsomeException e) {
          // RFC 8628 section 3.5: keep polling through transient network trouble until the code expires.
          if (!warnedUnreachable) {
            progress.println();
            progress.println("Warning: " + e.getMessage() + "; retrying.");
            warnedUnreachable = true;
          }
          continue;
        }
        if (outcome instanceof TokenEndpoint.Outcome.Issued issued) {
          progress.println();
          return issued.tokens();
        }
        ErrorObject error = ((TokenEndpoint.Outcome.Refused) outcome).error();
        if (DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.getCode().equals(error.getCode())) {
          continue;
        }
        if (DeviceAuthorizationGrantError.SLOW_DOWN.getCode().equals(error.getCode())) {
          interval = interval.plus(SLOW_DOWN);
          continue;
        }
        progress.println();
        if (OAuth2Error.ACCESS_DENIED.getCode().equals(error.getCode())) {
          throw AuthsomeException.authenticationFailed("the request was denied at the verification page ("
              + describe(error) + "); run the login again and approve it");
        }
        if (DeviceAuthorizationGrantError.EXPIRED_TOKEN.getCode().equals(error.getCode())) {
          throw AuthsomeException.authenticationFailed("the device code expired before the request was approved; "
              + "run the login again");
        }
        throw AuthsomeException.authenticationFailed("the token endpoint refused the device code: "
            + describe(error));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      progress.println();
      progress.flush();
      throw AuthsomeException.cancelled("login cancelled while waiting for the device approval");
    }
  }

  /** Waits {@code interval}, rewriting one status line every second with the time left. */
  private static void countdown(PrintWriter progress, Clock clock, Instant deadline, Duration interval)
      throws InterruptedException {
    Instant wakeUp = clock.instant().plus(interval);
    while (true) {
      Instant now = clock.instant();
      if (!now.isBefore(wakeUp) || !now.isBefore(deadline)) {
        return;
      }
      long left = Math.max(0, Duration.between(now, deadline).toSeconds());
      progress.print(String.format("\rWaiting for approval... code expires in %d:%02d  (Ctrl-C cancels) ",
          left / 60, left % 60));
      progress.flush();
      long sleep = Math.min(1000, Duration.between(now, wakeUp).toMillis());
      Thread.sleep(Math.max(1, sleep));
    }
  }

  private static String describe(ErrorObject error) {
    return error.getDescription() == null ? error.getCode() : error.getCode() + " (" + error.getDescription() + ")";
  }
}
