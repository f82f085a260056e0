/**
 * The vault contract test kit: {@link dev.authsome.vault.tck.VaultContract}, the abstract JUnit test that every vault
 * backend extends. Open, because JUnit reflects into the test methods it declares.
 */
open module dev.authsome.vault.tck {
  requires static org.jspecify;
  requires transitive dev.authsome.core;
  requires transitive org.junit.jupiter.api;

  exports dev.authsome.vault.tck;
}
