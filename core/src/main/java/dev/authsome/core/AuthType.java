package dev.authsome.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kind of credential a provider issues. */
public enum AuthType {
  OAUTH2("oauth2"),
  API_KEY("api_key");

  private final String wireName;

  AuthType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in provider files and JSON output ({@code oauth2}, {@code api_key}). */
  public String wireName() {
    return wireName;
  }

  /** Parses a wire name; an unknown one is an {@link ErrorCode#INVALID_PROVIDER} error listing the known ones. */
  public static AuthType fromWireName(String name) {
    for (AuthType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, "unknown auth_type '" + name + "'; expected one of: "
        + Arrays.stream(values()).map(AuthType::wireName).collect(Collectors.joining(", ")));
  }
}
