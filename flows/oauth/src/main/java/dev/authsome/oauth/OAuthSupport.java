package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.FlowContext;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.util.Set;

/**
 * The OAuth helpers for one flow invocation, built from its {@link FlowContext}: settings, HTTP with the
 * environment's proxy, discovery, the provider's quirks, the token endpoint and the browser opener.
 */
public final class OAuthSupport {
  private final FlowContext context;
  private final OAuthSettings settings;
  private final OAuthHttp http;
  private final OAuthQuirks quirks;

  private OAuthSupport(FlowContext context, OAuthSettings settings) {
    this.context = context;
    this.settings = settings;
    this.http = new OAuthHttp(settings.proxy());
    this.quirks = context.providerExtension(OAuthQuirks.class).orElse(OAuthQuirks.NONE);
  }

  public static OAuthSupport of(FlowContext context) {
    requireNonNull(context, "context");
    return new OAuthSupport(context, OAuthSettings.from(context));
  }

  public FlowContext context() {
    return context;
  }

  public OAuthSettings settings() {
    return settings;
  }

  public OAuthHttp http() {
    return http;
  }

  public OAuthQuirks quirks() {
    return quirks;
  }

  public TokenEndpoint tokenEndpoint() {
    return new TokenEndpoint(http, quirks);
  }

  public BrowserOpener opener() {
    return new BrowserOpener(settings, context.progress());
  }

  /** The provider's endpoints, discovering what {@code needed} lacks. */
  public ServerEndpoints endpoints(Set<Endpoint> needed) {
    return new Discovery(http).endpoints(context.provider(), needed);
  }
}
