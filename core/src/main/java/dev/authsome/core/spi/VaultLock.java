package dev.authsome.core.spi;

/** A held vault lock; closing it releases the lock. */
public interface VaultLock extends AutoCloseable {
  @Override
  void close();
}
