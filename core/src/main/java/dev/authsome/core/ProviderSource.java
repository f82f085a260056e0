package dev.authsome.core;

/** Where the effective definition of a provider came from; highest precedence first. */
public enum ProviderSource {
  /** A file in {@code $AUTHSOME_HOME/providers/}. */
  CUSTOM("custom"),
  /** A plugin jar dropped into {@code $AUTHSOME_HOME/plugins/}. */
  PLUGIN("plugin"),
  /** A plugin jar shipped in the distribution's {@code plugins/} folder. */
  BUNDLED("bundled");

  private final String wireName;

  ProviderSource(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
