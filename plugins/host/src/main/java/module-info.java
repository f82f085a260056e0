/**
 * The authsome plugin host: finds flow and provider plugin jars in the distribution's {@code plugins/} folder and in
 * {@code $AUTHSOME_HOME/plugins/}, keeps an index of them so that commands never open every jar, and loads a jar with
 * PF4J only when one of its flows or extensions is needed. Implements the core's
 * {@link dev.authsome.core.spi.ProviderCatalogue} and {@link dev.authsome.core.spi.FlowRegistry}.
 */
module dev.authsome.plugins {
  requires static org.jspecify;
  requires transitive dev.authsome.core;
  requires com.fasterxml.jackson.databind;
  // PF4J has no module descriptor; its automatic module name comes from the jar name
  requires pf4j;
  // PF4J logs through SLF4J; an explicit module needed only by an automatic one is otherwise never resolved
  requires org.slf4j;

  exports dev.authsome.plugins;
}
