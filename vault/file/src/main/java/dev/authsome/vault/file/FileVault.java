package dev.authsome.vault.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import dev.authsome.core.spi.VersionedValue;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The file vault: {@code vault/records.json} holds every record, each sealed on its own by {@link RecordCipher}.
 *
 * <p>Reads take no lock: a write replaces the file by an atomic rename, so a reader sees a whole file. Writes hold
 * the vault's lock file ({@code vault/locks/vault.lock}, through {@link ProcessLocks}) and re-read the file under it,
 * so concurrent processes never lose a write. A write first checks that every record it would carry over still
 * opens; a file holding a damaged record, or one that cannot be parsed, is never rewritten.
 */
final class FileVault implements Vault {

  private final Path vaultDir;
  private final Path recordsFile;
  private final Path locksDir;
  private final MasterKeySource keySource;
  private final ProcessLocks.Entry writeLock;
  private final ConcurrentMap<String, ProcessLocks.Entry> namedLocks = new ConcurrentHashMap<>();
  /** Record key to the sealed text already seen to open, so each write re-checks only what changed. */
  private final ConcurrentMap<String, String> verified = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable RecordCipher cipher;
  /** The last snapshot read, with the file's identity when read (see {@link #readCached}). */
  private volatile @Nullable CachedSnapshot lastRead;

  private record CachedSnapshot(Object fileKey, java.nio.file.attribute.FileTime modified, long size,
      RecordsFile.Snapshot snapshot) {
  }

  FileVault(Path vaultDir, MasterKeySource keySource) {
    this.vaultDir = vaultDir;
    this.recordsFile = vaultDir.resolve("records.json");
    this.locksDir = vaultDir.resolve("locks");
    this.keySource = keySource;
    this.writeLock = ProcessLocks.acquire(locksDir.resolve("vault.lock"));
  }

  @Override
  public Optional<String> get(String key) {
    requireNonNull(key, "key");
    return get(key, true);
  }

  private Optional<String> get(String key, boolean mayAdoptNewerKey) {
    checkOpen();
    RecordsFile.Snapshot snapshot = readCached();
    String sealed = snapshot.records().get(key);
    if (sealed == null) {
      return Optional.empty();
    }
    RecordCipher records = existingCipher();
    Optional<String> value = records.open(key, sealed);
    if (value.isEmpty()) {
      if (mayAdoptNewerKey && adoptNewerKeyLocked(key)) {
        return get(key, false);
      }
      throw AuthsomeException.vault("record '" + key + "' in " + recordsFile + " "
          + explain(records, snapshot, List.of(key), ""));
    }
    verified.put(key, sealed);
    return value;
  }

  @Override
  public void put(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    update(key, value);
  }

  /**
   * Compares under the vault's write lock, which every {@link #put} and {@link #delete} takes too, so it is atomic
   * with respect to them across processes, not only to other compare-and-puts.
   */
  @Override
  public boolean compareAndPut(String key, long expectedVersion, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    checkOpen();
    prepareFolders();
    take(writeLock);
    try {
      long current = get(key).map(VersionedValue::versionOf).orElse(VersionedValue.ABSENT);
      if (current != expectedVersion) {
        return false;
      }
      update(key, value); // the write lock is reentrant: this takes no second file lock
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean delete(String key) {
    requireNonNull(key, "key");
    checkOpen();
    // Deleting what is not there changes nothing, so it needs no lock, no folders and no writable home.
    if (!RecordsFile.read(recordsFile).records().containsKey(key)) {
      return false;
    }
    return update(key, null);
  }

  /**
   * Every write replaces {@code records.json} by a rename, so a new file (inode), time or size means a change; the
   * stat costs no decryption, which lets a proxy poll it many times a second.
   */
  @Override
  public Optional<Object> revision() {
    checkOpen();
    try {
      java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(recordsFile,
          java.nio.file.attribute.BasicFileAttributes.class);
      return Optional.of(java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toInstant().toString(),
          a.size()));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.of("absent");
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> keys(String prefix) {
    requireNonNull(prefix, "prefix");
    checkOpen();
    return readCached().records().tailMap(prefix).keySet().stream()
        .takeWhile(key -> key.startsWith(prefix))
        .toList();
  }

  /**
   * The records for a read, parsed again only when the file changed. `list` reads every connection of a vault, and
   * parsing the whole file for each made it O(n^2) (12 s of CPU for 2,000 connections). Every write replaces the
   * file by a rename, so an unchanged inode, time and size mean unchanged content (as for {@link #revision}); writes
   * never use this and re-read under the lock.
   */
  private RecordsFile.Snapshot readCached() {
    java.nio.file.attribute.BasicFileAttributes a;
    try {
      a = java.nio.file.Files.readAttributes(recordsFile, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      return RecordsFile.read(recordsFile); // absent or unreadable: let the read say so
    }
    CachedSnapshot cached = lastRead;
    if (cached != null && a.fileKey() != null && cached.fileKey().equals(a.fileKey())
        && cached.modified().equals(a.lastModifiedTime()) && cached.size() == a.size()) {
      return cached.snapshot();
    }
    RecordsFile.Snapshot snapshot = RecordsFile.read(recordsFile);
    if (a.fileKey() != null) {
      lastRead = new CachedSnapshot(a.fileKey(), a.lastModifiedTime(), a.size(), snapshot);
    }
    return snapshot;
  }

  @Override
  public VaultLock lock(String name) {
    requireNonNull(name, "name");
    checkOpen();
    String file = sha256Hex(name) + ".lock";
    ProcessLocks.Entry entry = namedLocks.computeIfAbsent(file, f -> ProcessLocks.acquire(locksDir.resolve(f)));
    prepareFolders();
    take(entry);
    var released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        entry.unlock();
      }
    };
  }

  @Override
  public String describe() {
    return "file (" + vaultDir + ", master key from " + keySource.describe() + ")";
  }

  /**
   * Re-encrypts every record under a new key. Each step leaves a state from which the next open recovers: the new
   * records are written aside ({@code records.json.rekey}), the new key is kept aside by the key source (pending),
   * the records file is switched by one rename, and only then does the pending key become the key. Before the rename
   * the old key opens the records (and the leftovers are cleared by the next rekey); after it, a reader whose key no
   * longer opens them adopts the pending key ({@link #adoptNewerKey}).
   */
  @Override
  public void rekey() {
    rekey(step -> { });
  }

  /** The points at which a rekey may crash; the test of each proves it recoverable. */
  enum RekeyStep { RECORDS_WRITTEN, KEY_PENDING, RECORDS_SWITCHED, KEY_PROMOTED }

  /** Called after each {@link RekeyStep}; a test throws from it to stand for a crash there. */
  interface RekeyProbe {
    void reached(RekeyStep step);
  }

  void rekey(RekeyProbe probe) {
    checkOpen();
    if (!keySource.canStore()) {
      throw AuthsomeException.usage("the master key comes from " + keySource.describe() + ", which authsome cannot"
          + " change; to use a new key, unset it and migrate, or re-create the vault with the new key");
    }
    prepareFolders();
    take(writeLock);
    try {
      RecordsFile.Snapshot snapshot = RecordsFile.read(recordsFile);
      if (!snapshot.exists()) {
        throw AuthsomeException.usage("there is no vault at " + recordsFile + " yet, so there is no key to change");
      }
      RecordCipher current = existingCipher();
      List<String> damaged = damagedRecords(current, snapshot, null);
      if (!damaged.isEmpty() && adoptNewerKey(snapshot, damaged.get(0))) {
        current = existingCipher();
        damaged = damagedRecords(current, snapshot, null);
      }
      if (!damaged.isEmpty()) {
        throw AuthsomeException.vault("refusing to rekey " + recordsFile + ": record '" + damaged.get(0) + "' "
            + explain(current, snapshot, damaged, "nothing was changed; "));
      }
      Path staged = vaultDir.resolve("records.json.rekey");
      keySource.discardPending(); // what an interrupted rekey left before its records switch is of no use
      SecretKey nextKey = generateKey();
      RecordCipher next = new RecordCipher(nextKey);
      var resealed = new TreeMap<String, String>();
      for (Map.Entry<String, String> record : snapshot.records().entrySet()) {
        resealed.put(record.getKey(), next.seal(record.getKey(),
            current.open(record.getKey(), record.getValue()).orElseThrow()));
      }
      VaultFiles.replaceAtomically(staged, RecordsFile.write(resealed));
      probe.reached(RekeyStep.RECORDS_WRITTEN);
      keySource.storePending(nextKey);
      probe.reached(RekeyStep.KEY_PENDING);
      java.nio.file.Files.move(staged, recordsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      VaultFiles.syncDirectory(vaultDir);
      cipher = next;
      verified.clear();
      probe.reached(RekeyStep.RECORDS_SWITCHED);
      keySource.promotePending();
      probe.reached(RekeyStep.KEY_PROMOTED);
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Keeps every record that opens, in a fresh {@code records.json}, and the damaged file aside as {@code
   * records.json.damaged-TIME} (0600). The copy aside is made (and synced) before the records file is replaced by one
   * atomic rename, so a crash at any point leaves either the damaged file in place or both files. Refuses, changing
   * nothing, when records exist but none opens: that is a wrong master key, not damage, and salvaging would set every
   * record aside.
   */
  @Override
  public dev.authsome.core.VaultSalvage salvage() {
    checkOpen();
    prepareFolders();
    take(writeLock);
    try {
      byte[] bytes;
      try {
        bytes = java.nio.file.Files.readAllBytes(recordsFile);
      } catch (java.nio.file.NoSuchFileException e) {
        throw AuthsomeException.usage("there is no vault at " + recordsFile + ", so there is nothing to salvage");
      }
      boolean parses;
      SortedMap<String, String> found;
      try {
        found = RecordsFile.read(recordsFile).records();
        parses = true;
      } catch (AuthsomeException unreadable) {
        found = RecordsFile.readWhatRemains(bytes);
        parses = false;
      }
      RecordCipher current = existingCipher();
      RecordsFile.Snapshot snapshot = new RecordsFile.Snapshot(true, found);
      List<String> damaged = damagedRecords(current, snapshot, null);
      if (!damaged.isEmpty() && adoptNewerKey(snapshot, damaged.get(0))) {
        current = existingCipher();
        damaged = damagedRecords(current, snapshot, null);
      }
      var kept = new TreeMap<String, String>(found);
      damaged.forEach(kept::remove);
      if (parses && damaged.isEmpty()) {
        return new dev.authsome.core.VaultSalvage(List.copyOf(kept.keySet()), List.of(), "", describe());
      }
      if (kept.isEmpty() && damaged.size() > 1) {
        throw AuthsomeException.vault("refusing to salvage " + recordsFile + ": none of its " + damaged.size()
            + " records decrypts with the master key from " + keySource.describe() + ", so the key is probably not"
            + " this vault's (salvaging would set every record aside); nothing was changed; "
            + keySource.whenMissing());
      }
      Path aside = vaultDir.resolve("records.json.damaged-" + java.time.format.DateTimeFormatter
          .ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()));
      for (int i = 2; java.nio.file.Files.exists(aside); i++) {
        aside = aside.resolveSibling(aside.getFileName().toString().replaceFirst("(-\\d+)?$", "") + "-" + i);
      }
      keepAside(aside, bytes);
      VaultFiles.replaceAtomically(recordsFile, RecordsFile.write(kept));
      verified.clear();
      return new dev.authsome.core.VaultSalvage(List.copyOf(kept.keySet()), damaged, aside.toString(), describe());
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Writes {@code bytes} to a new file {@code aside} (0600, never over an existing file) and syncs it. */
  private static void keepAside(Path aside, byte[] bytes) throws IOException {
    var attributes = VaultFiles.posix(aside.getParent())
        ? new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions
            .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))}
        : new java.nio.file.attribute.FileAttribute<?>[0];
    try (var channel = java.nio.channels.FileChannel.open(aside, java.util.Set.of(
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), attributes)) {
      var buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    VaultFiles.makePrivate(aside);
    VaultFiles.syncDirectory(aside.getParent());
  }

  /** {@link #adoptNewerKey} under the write lock, for readers. */
  private boolean adoptNewerKeyLocked(String key) {
    try {
      prepareFolders();
      take(writeLock);
    } catch (AuthsomeException readOnly) {
      return false; // a reader that cannot lock cannot finish a rekey either; the record's error stands
    }
    try {
      return adoptNewerKey(RecordsFile.read(recordsFile), key);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * When record {@code key} does not open with the key in hand, another process may have rekeyed: reload the key, and
   * if a rekey was interrupted after its records switch, promote its pending key. Returns whether a key now opens the
   * record. Call with the write lock held.
   */
  private boolean adoptNewerKey(RecordsFile.Snapshot snapshot, String key) {
    String sealed = snapshot.records().get(key);
    if (sealed == null) {
      return true;
    }
    cipher = null;
    verified.clear();
    if (existingCipher().opens(key, sealed)) {
      return true;
    }
    Optional<SecretKey> pending = keySource.loadPending();
    if (pending.isPresent() && new RecordCipher(pending.get()).opens(key, sealed)) {
      keySource.promotePending();
      cipher = null;
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      keySource.close();
      ProcessLocks.release(writeLock);
      namedLocks.values().forEach(ProcessLocks::release);
      namedLocks.clear();
      verified.clear();
    }
  }

  /** Stores {@code value} under {@code key}, or deletes {@code key} when {@code value} is null; says if it existed. */
  private boolean update(String key, @Nullable String value) {
    checkOpen();
    prepareFolders();
    take(writeLock);
    try {
      RecordsFile.Snapshot snapshot = RecordsFile.read(recordsFile);
      boolean existed = snapshot.records().containsKey(key);
      if (value == null && !existed) {
        return false;
      }
      RecordCipher records = snapshot.exists() ? existingCipher() : newVaultCipher();
      // Deleting a damaged record is how a user recovers one; every other record must open to be carried over.
      List<String> damaged = damagedRecords(records, snapshot, value == null ? key : null);
      if (!damaged.isEmpty() && adoptNewerKey(snapshot, damaged.get(0))) {
        records = existingCipher();
        damaged = damagedRecords(records, snapshot, value == null ? key : null);
      }
      if (!damaged.isEmpty()) {
        String more = damaged.size() > 1 ? " (and " + (damaged.size() - 1) + " more)" : "";
        String named = "'" + damaged.get(0) + "'" + more;
        throw AuthsomeException.vault("refusing to change " + recordsFile + ": record " + named + " "
            + explain(records, snapshot, damaged, "the file is left unchanged; "));
      }
      var next = new TreeMap<>(snapshot.records());
      String sealed = null;
      if (value == null) {
        next.remove(key);
      } else {
        sealed = records.seal(key, value);
        next.put(key, sealed);
      }
      try {
        VaultFiles.replaceAtomically(recordsFile, RecordsFile.write(next));
      } catch (IOException e) {
        throw VaultFiles.writeFailed(vaultDir, e);
      }
      if (sealed == null) {
        verified.remove(key);
      } else {
        verified.put(key, sealed);
      }
      return existed;
    } finally {
      writeLock.unlock();
    }
  }

  private List<String> damagedRecords(RecordCipher records, RecordsFile.Snapshot snapshot, @Nullable String skip) {
    var damaged = new ArrayList<String>();
    for (Map.Entry<String, String> record : snapshot.records().entrySet()) {
      String key = record.getKey();
      if (key.equals(skip) || record.getValue().equals(verified.get(key))) {
        continue;
      }
      if (records.opens(key, record.getValue())) {
        verified.put(key, record.getValue());
      } else {
        damaged.add(key);
      }
    }
    return damaged;
  }

  /**
   * Why records do not open, and what to do: a wrong master key when no other record opens either (then deleting
   * records would lose them), else damage to those records.
   */
  private String explain(RecordCipher records, RecordsFile.Snapshot snapshot, List<String> failed, String unchanged) {
    boolean others = false;
    for (Map.Entry<String, String> record : snapshot.records().entrySet()) {
      if (failed.contains(record.getKey())) {
        continue;
      }
      others = true;
      if (record.getValue().equals(verified.get(record.getKey()))
          || records.opens(record.getKey(), record.getValue())) {
        return "does not decrypt with the master key from " + keySource.describe() + " while other records do, so"
            + " it is damaged; " + unchanged + "run 'authsome vault salvage' to keep every record that still"
            + " decrypts in a fresh vault (the damaged file is kept aside), or restore " + recordsFile + " from a"
            + " backup";
      }
    }
    if (others || failed.size() > 1) {
      return "does not decrypt, and no other record does either: the master key from " + keySource.describe()
          + " is probably not this vault's; " + unchanged + keySource.whenMissing();
    }
    return "does not decrypt with the master key from " + keySource.describe() + " (it is damaged, or was written"
        + " with another key); " + unchanged + "check " + keySource.describe() + ", restore " + recordsFile
        + " from a backup, or run 'authsome vault salvage' (which keeps the file aside and starts an empty vault)"
        + " and log in again";
  }

  /** The cipher of a vault whose records file exists: its key must be found, never minted. */
  private RecordCipher existingCipher() {
    RecordCipher records = cipher;
    if (records == null) {
      SecretKey key = keySource.load().orElseThrow(() -> AuthsomeException.vault("the vault " + recordsFile
          + " exists but its master key is missing (" + keySource.describe() + " not found); " + keySource.whenMissing()
          + " (a new key would not open the existing records)"));
      records = new RecordCipher(key);
      cipher = records;
    }
    return records;
  }

  /** The cipher for the first write of a new vault: the source's key if it has one, else a new key it keeps. */
  private RecordCipher newVaultCipher() {
    RecordCipher records = cipher;
    if (records != null) {
      return records;
    }
    SecretKey key = keySource.load().orElseGet(() -> {
      SecretKey generated = generateKey();
      keySource.store(generated);
      return generated;
    });
    records = new RecordCipher(key);
    cipher = records;
    return records;
  }

  private static SecretKey generateKey() {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(RecordCipher.KEY_BYTES * 8, RecordCipher.Randomness.INSTANCE);
      return generator.generateKey();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no AES key generator", e);
    }
  }

  private void prepareFolders() {
    try {
      VaultFiles.createPrivateDirectories(locksDir);
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    }
  }

  private void take(ProcessLocks.Entry entry) {
    try {
      entry.lock();
    } catch (ClosedChannelException | FileLockInterruptionException e) {
      // Ctrl-C while waiting: a cancellation (exit 8), not a broken vault (exit 7); nothing was written
      Thread.currentThread().interrupt();
      throw AuthsomeException.cancelled("cancelled while waiting for the vault lock " + entry.file
          + "; nothing was written; run the command again");
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the vault " + vaultDir + " is closed");
    }
  }

  private static String sha256Hex(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e); // required of every Java platform
    }
  }
}
