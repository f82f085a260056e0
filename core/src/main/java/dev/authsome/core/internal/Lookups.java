package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.spi.AuthFlow;
import java.util.Optional;

/** Finding providers and flows, with errors that say what exists. */
final class Lookups {
  private Lookups() {
  }

  static ResolvedProvider provider(Context ctx, String name) {
    Keys.checkProviderName(name);
    return ctx.catalogue().find(name).orElseThrow(() -> AuthsomeException.providerNotFound(name));
  }

  static Optional<ResolvedProvider> findProvider(Context ctx, String name) {
    return ctx.catalogue().find(name);
  }

  /** The flow with {@code id}, checked against the provider's auth type. */
  static AuthFlow flow(Context ctx, ProviderDefinition def, String id) {
    Optional<AuthFlow> flow;
    try {
      flow = ctx.flows().flow(id);
    } catch (AuthsomeException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new AuthsomeException(ErrorCode.UNSUPPORTED_FLOW, "Flow '" + id + "' failed to load ("
          + e.getClass().getSimpleName() + "); run 'authsome doctor' to see plugin problems.", e);
    }
    AuthFlow f = flow.orElseThrow(() -> new AuthsomeException(ErrorCode.UNSUPPORTED_FLOW, "Flow '" + id
        + "' is not installed; installed flows: " + String.join(", ", ctx.flows().ids())
        + ". Pass one of them with --flow."));
    if (!f.authTypes().contains(def.authType())) {
      throw new AuthsomeException(ErrorCode.UNSUPPORTED_FLOW, "Flow '" + id + "' cannot log in to " + def.name()
          + " (auth type " + def.authType().wireName() + "); pick a flow for that auth type with --flow.");
    }
    return f;
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : ConfigFile.oneLine(m);
  }
}
