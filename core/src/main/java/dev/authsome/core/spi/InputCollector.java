package dev.authsome.core.spi;

import dev.authsome.core.Secret;
import java.util.Map;

/**
 * Where a login's missing input comes from: {@code --stdin}, the browser form on 127.0.0.1, a masked terminal
 * prompt, or nothing (a non-terminal). The shell chooses the implementation; flows only ask.
 *
 * <p>Implementations never hang on a non-terminal: a required field they cannot obtain is an
 * {@link dev.authsome.core.ErrorCode#USAGE} error naming {@code --stdin}/{@code --client-id}; Ctrl-C, a closed form
 * or a timeout is {@link dev.authsome.core.ErrorCode#INPUT_CANCELLED}.
 */
public interface InputCollector {

  /**
   * Collects the editable fields of {@code request}. The result maps field name to value; an optional field left
   * empty is absent. Values of secret fields must be handled as {@link Secret}s by the caller.
   */
  Map<String, Secret> collect(InputRequest request);
}
