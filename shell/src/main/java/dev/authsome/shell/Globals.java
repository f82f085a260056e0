package dev.authsome.shell;

import org.jspecify.annotations.Nullable;

/**
 * The global options of one run. They may appear before or after the subcommand; every command mixes in
 * {@link GlobalOptions}, whose setters all write here, so where the user typed them does not matter.
 */
public final class Globals {
  boolean json;
  boolean quiet;
  boolean noColor;
  boolean verbose;
  @Nullable String vault;

  public boolean json() {
    return json;
  }

  public boolean quiet() {
    return quiet;
  }

  public boolean noColor() {
    return noColor;
  }

  public boolean verbose() {
    return verbose;
  }

  public @Nullable String vault() {
    return vault;
  }
}
