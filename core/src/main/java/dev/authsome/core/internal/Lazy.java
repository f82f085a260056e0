package dev.authsome.core.internal;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A value computed on first use (the vault, the plugin catalogue), so short commands only pay for what they use. */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private @Nullable T value;

  Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  @Override
  public synchronized T get() {
    if (value == null) {
      value = factory.get();
    }
    return value;
  }

  synchronized @Nullable T ifPresent() {
    return value;
  }
}
