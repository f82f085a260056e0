package dev.authsome.flows.apikey;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinition.ApiKeyConfig;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code api_key} flow: asks the input collector (masked prompt, {@code --stdin} or the browser form) for the
 * provider's API key, checks it against the definition's {@code key_pattern}, and returns a connected record. The key
 * never appears in a message; a mismatch shows the provider's hint instead.
 */
public final class ApiKeyFlow implements AuthFlow {
  public static final String ID = "api_key";
  public static final String FIELD = "api_key";

  /** PF4J creates extensions with the public no-argument constructor. */
  public ApiKeyFlow() {
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<AuthType> authTypes() {
    return Set.of(AuthType.API_KEY);
  }

  @Override
  public String description() {
    return "Store an API key (masked prompt, --stdin or browser form)";
  }

  @Override
  public FlowResult login(FlowContext context) {
    ProviderDefinition provider = context.provider();
    ApiKeyConfig config = provider.apiKeyConfig().orElseThrow(() -> new AuthsomeException(
        ErrorCode.INVALID_PROVIDER, "Provider '" + provider.name() + "' has no 'api_key' section, so the api_key flow"
        + " cannot be used; add one to its definition or choose another --flow."));
    InputField field = InputField.secret(FIELD, "API key for " + provider.displayName(), true)
        .withPattern(config.keyPattern(), config.keyPatternHint());
    Map<String, Secret> values = context.input().collect(
        new InputRequest(provider.name(), provider.displayName() + " API key", provider.docsUrl(), List.of(field)));
    Secret entered = values.get(FIELD);
    String key = entered == null ? "" : entered.reveal().trim();
    if (key.isEmpty()) {
      throw AuthsomeException.usage("API key cannot be empty; paste the key for " + provider.displayName()
          + " (or pipe it with --stdin).");
    }
    if (config.keyPattern() != null && !matches(config.keyPattern(), key)) {
      String hint = config.keyPatternHint() != null && !config.keyPatternHint().isBlank()
          ? config.keyPatternHint()
          : "API key for " + provider.displayName() + " doesn't match the expected format";
      throw AuthsomeException.authenticationFailed(stripPeriod(hint) + "; check the key and run 'authsome login "
          + provider.name() + "' again.");
    }
    ConnectionRecord record = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, provider.name(),
        context.profile(), context.connectionName(), AuthType.API_KEY, ID, ConnectionStatus.CONNECTED,
        context.baseUrl().orElse(null), provider.apiUrls(), List.of(), null, null, null, null, null,
        context.clock().instant(), key, ConnectionRecord.Account.UNKNOWN, Map.of());
    return new FlowResult(record, null);
  }

  private static boolean matches(String pattern, String key) {
    try {
      return Pattern.compile(pattern).matcher(key).matches();
    } catch (PatternSyntaxException e) {
      // validated definitions never get here; an unvalidated one must not leak the key through the exception
      throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, "The key_pattern of this provider is not a valid"
          + " regular expression ('" + pattern + "'); fix its definition.");
    }
  }

  private static String stripPeriod(String text) {
    String trimmed = text.trim();
    return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
