/**
 * The authsome core: the domain (provider definitions, connection, client and state records), the engine, and the
 * SPIs through which flows, provider catalogues and vault backends plug in. No PF4J, JLine or HTTP client in its API.
 */
module dev.authsome.core {
  requires static org.jspecify;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  // LoaderOptions: the YAML limits (aliases, nesting, size) that stop YAML bombs in provider files; config.yaml is
  // also read with SnakeYAML directly, so that short commands do not load jackson-databind
  requires org.yaml.snakeyaml;
  requires com.fasterxml.jackson.datatype.jsr310;

  exports dev.authsome.core;
  exports dev.authsome.core.spi;

  // Jackson reads and writes the domain records reflectively.
  opens dev.authsome.core to com.fasterxml.jackson.databind;

  uses dev.authsome.core.spi.VaultProvider;
  uses dev.authsome.core.spi.MasterKeyStoreProvider;
}
