package dev.authsome.vault.memory;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import dev.authsome.core.spi.VersionedValue;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.locks.ReentrantLock;

/** A vault held in a sorted concurrent map; its locks are plain in-JVM locks, since nothing outside can see it. */
final class MemoryVault implements Vault {

  private final ConcurrentNavigableMap<String, String> records = new ConcurrentSkipListMap<>();
  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong revision = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(records.get(requireNonNull(key, "key")));
  }

  @Override
  public void put(String key, String value) {
    records.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    revision.incrementAndGet();
  }

  /** Compares inside the map's own atomic replace, so it is atomic with respect to {@link #put} as well. */
  @Override
  public boolean compareAndPut(String key, long expectedVersion, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    boolean written;
    if (expectedVersion == VersionedValue.ABSENT) {
      written = records.putIfAbsent(key, value) == null;
    } else {
      String current = records.get(key);
      written = current != null && VersionedValue.versionOf(current) == expectedVersion
          && records.replace(key, current, value);
    }
    if (written) {
      revision.incrementAndGet();
    }
    return written;
  }

  @Override
  public boolean delete(String key) {
    boolean existed = records.remove(requireNonNull(key, "key")) != null;
    if (existed) {
      revision.incrementAndGet();
    }
    return existed;
  }

  @Override
  public List<String> keys(String prefix) {
    requireNonNull(prefix, "prefix");
    return records.tailMap(prefix).keySet().stream().takeWhile(key -> key.startsWith(prefix)).toList();
  }

  @Override
  public VaultLock lock(String name) {
    ReentrantLock lock = locks.computeIfAbsent(requireNonNull(name, "name"), n -> new ReentrantLock());
    lock.lock();
    return lock::unlock;
  }

  @Override
  public Optional<Object> revision() {
    return Optional.of(revision.get());
  }

  @Override
  public String describe() {
    return "memory (in this process only; forgotten when it ends)";
  }

  @Override
  public void close() {
    records.clear();
  }
}
