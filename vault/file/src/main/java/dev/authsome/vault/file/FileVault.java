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
 * The file vault: {@code vault/records.json} names the current generation of records, the folder {@code
 * vault/records.N/}, which holds one file per record ({@link RecordFolder}), each sealed on its own by {@link
 * RecordCipher}. Reading or writing one record touches that record's file only, so a vault of 10,000 connections is
 * as quick to use as one of ten. Vaults written before (format 1: every record inside {@code records.json}) are read
 * as they are and upgraded by the first write.
 *
 * <p>Reads take no lock: a write replaces a record file by an atomic rename, and a whole generation is switched by
 * replacing {@code records.json}, so a reader sees a record as it was before or after a write. Writes hold the
 * vault's lock file ({@code vault/locks/vault.lock}, through {@link ProcessLocks}). Before the first write a process
 * checks that the master key in hand opens the vault's records (a wrong key must not add records nobody can read
 * alongside), and a record that does not open is never overwritten (deleting it is allowed: that is how a user gives
 * up a damaged record).
 */
final class FileVault implements Vault {

  /** How many existing records a writer tries to open to confirm that its master key is this vault's. */
  private static final int KEY_SAMPLE = 3;

  private final Path vaultDir;
  private final Path recordsFile;
  private final Path revisionFile;
  /** Present from before a record changes until the revision says so: a write under way, or one cut off. */
  private final Path writingFile;
  private final Path locksDir;
  private final MasterKeySource keySource;
  private final ProcessLocks.Entry writeLock;
  private final ConcurrentMap<String, ProcessLocks.Entry> namedLocks = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable RecordCipher cipher;
  /**
   * The generation in which {@link #cipher} was seen to open a record (so writes to it need not check again), or 0.
   * Another process's rekey writes a new generation, so a key confirmed before it is checked again.
   */
  private volatile long keyConfirmed;
  /** {@code records.json} as last read, with the file's identity then (see {@link #layout}). */
  private volatile @Nullable CachedLayout lastRead;

  private record CachedLayout(Object fileKey, java.nio.file.attribute.FileTime modified, long size,
      RecordsFile.Snapshot snapshot) {
  }

  FileVault(Path vaultDir, MasterKeySource keySource) {
    this.vaultDir = vaultDir;
    this.recordsFile = vaultDir.resolve("records.json");
    this.revisionFile = vaultDir.resolve("revision");
    this.writingFile = vaultDir.resolve("writing");
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
    Optional<Found> found = find(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    RecordCipher records = existingCipher();
    Optional<String> value = records.open(key, found.get().sealed());
    if (value.isEmpty()) {
      if (mayAdoptNewerKey && adoptNewerKeyLocked(key)) {
        return get(key, false);
      }
      throw AuthsomeException.vault("record '" + RecordsFile.shown(key) + "' in " + found.get().where() + " "
          + explain(records, key, ""));
    }
    return value;
  }

  /** A record's sealed text and the file it was read from. */
  private record Found(String sealed, Path where) {
  }

  /**
   * The sealed record {@code key} of the current generation. A rekey or salvage may switch generations (and delete
   * the old folder) between reading {@code records.json} and reading the record: then the pointer has changed, and
   * the read is made again in the new generation.
   */
  private Optional<Found> find(String key) {
    for (int attempt = 0; ; attempt++) {
      RecordsFile.Snapshot layout = layout();
      if (!layout.exists()) {
        return Optional.empty();
      }
      if (layout.legacy()) {
        String sealed = layout.records().get(key);
        return sealed == null ? Optional.empty() : Optional.of(new Found(sealed, recordsFile));
      }
      RecordFolder folder = folder(layout.generation());
      try {
        Optional<RecordFolder.Entry> entry = folder.read(key);
        if (entry.isPresent()) {
          return Optional.of(new Found(entry.get().sealed(), folder.fileOf(key)));
        }
      } catch (RecordFolder.Unreadable e) {
        throw RecordFolder.damaged(e);
      } catch (IOException e) {
        throw AuthsomeException.vault("cannot read the vault record " + folder.fileOf(key) + ": "
            + VaultFiles.reason(e) + "; check that it is readable by you", e);
      }
      if (attempt >= 3 || layout().generation() == layout.generation()) {
        return Optional.empty();
      }
    }
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
    if (!exists(key)) {
      return false;
    }
    return update(key, null);
  }

  /** Whether a file for {@code key} exists (damaged or not). */
  private boolean exists(String key) {
    RecordsFile.Snapshot layout = layout();
    if (!layout.exists()) {
      return false;
    }
    if (layout.legacy()) {
      return layout.records().containsKey(key);
    }
    return java.nio.file.Files.exists(folder(layout.generation()).fileOf(key));
  }

  /**
   * Changes whenever a record does: every write replaces {@code vault/revision} (a random token) after its record, and
   * a generation switch replaces {@code records.json}. Costs two stats and one small read, no decryption, which lets
   * a proxy poll it many times a second.
   */
  @Override
  public Optional<Object> revision() {
    checkOpen();
    try {
      java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(recordsFile,
          java.nio.file.attribute.BasicFileAttributes.class);
      String token;
      try {
        token = java.nio.file.Files.readString(revisionFile);
      } catch (java.nio.file.NoSuchFileException e) {
        token = "";
      }
      return Optional.of(List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toInstant().toString(), a.size(),
          token));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.of("absent");
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> keys(String prefix) {
    requireNonNull(prefix, "prefix");
    checkOpen();
    for (int attempt = 0; ; attempt++) {
      RecordsFile.Snapshot layout = layout();
      if (!layout.exists()) {
        return List.of();
      }
      if (layout.legacy()) {
        return layout.records().tailMap(prefix).keySet().stream()
            .takeWhile(key -> key.startsWith(prefix))
            .toList();
      }
      RecordFolder folder = folder(layout.generation());
      List<String> keys;
      try {
        keys = folder.keys();
      } catch (IOException e) {
        throw AuthsomeException.vault("cannot list the vault records in " + folder.dir + ": " + VaultFiles.reason(e)
            + "; check that it is readable by you", e);
      }
      if (keys.isEmpty() && attempt < 3 && layout().generation() != layout.generation()) {
        continue; // switched while listing
      }
      return keys.stream().filter(key -> key.startsWith(prefix)).sorted().toList();
    }
  }

  /**
   * {@code records.json}, read again only when it changed: every change replaces it by a rename, so an unchanged
   * inode, time and size mean unchanged content. For a format 1 vault this holds every record, which {@code list}
   * reads one by one (parsing the file for each made that O(n^2)). Writes never use this and re-read under the lock.
   */
  private RecordsFile.Snapshot layout() {
    java.nio.file.attribute.BasicFileAttributes a;
    try {
      a = java.nio.file.Files.readAttributes(recordsFile, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      return RecordsFile.read(recordsFile); // absent or unreadable: let the read say so
    }
    CachedLayout cached = lastRead;
    if (cached != null && a.fileKey() != null && cached.fileKey().equals(a.fileKey())
        && cached.modified().equals(a.lastModifiedTime()) && cached.size() == a.size()) {
      return cached.snapshot();
    }
    RecordsFile.Snapshot snapshot = RecordsFile.read(recordsFile);
    if (a.fileKey() != null) {
      lastRead = new CachedLayout(a.fileKey(), a.lastModifiedTime(), a.size(), snapshot);
    }
    return snapshot;
  }

  private static long generationOf(RecordFolder folder) {
    return Long.parseLong(folder.dir.getFileName().toString().substring("records.".length()));
  }

  private RecordFolder folder(long generation) {
    return new RecordFolder(vaultDir.resolve("records." + generation));
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
   * Re-encrypts every record under a new key, into a new generation. Each step leaves a state from which the next
   * open recovers: the new generation's folder is written aside (nothing points at it yet), the new key is kept aside
   * by the key source (pending), {@code records.json} is switched to the new generation by one rename, and only then
   * does the pending key become the key. Before the switch the old key opens the records (and the unused folder is
   * removed by the next switch); after it, a reader whose key no longer opens them adopts the pending key ({@link
   * #adoptNewerKey}).
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
      RecordsFile.Snapshot layout = RecordsFile.read(recordsFile);
      if (!layout.exists()) {
        throw AuthsomeException.usage("there is no vault at " + recordsFile + " yet, so there is no key to change");
      }
      layout = layout.legacy() ? upgrade(layout) : layout;
      RecordFolder from = folder(layout.generation());
      SortedMap<String, String> sealed = readAll(from, "refusing to rekey: ");
      RecordCipher current = existingCipher();
      List<String> damaged = damagedRecords(current, sealed);
      if (!damaged.isEmpty() && adoptNewerKey(damaged.get(0), sealed.get(damaged.get(0)))) {
        current = existingCipher();
        damaged = damagedRecords(current, sealed);
      }
      if (!damaged.isEmpty()) {
        throw AuthsomeException.vault("refusing to rekey " + vaultDir + ": record '" + RecordsFile.shown(damaged.get(0))
            + "' " + explain(current, damaged.get(0), "nothing was changed; "));
      }
      keySource.discardPending(); // what an interrupted rekey left before its records switch is of no use
      SecretKey nextKey = generateKey();
      RecordCipher next = new RecordCipher(nextKey);
      long generation = nextGeneration(layout.generation());
      RecordFolder to = newFolder(generation);
      for (Map.Entry<String, String> record : sealed.entrySet()) {
        to.writeNew(record.getKey(), next.seal(record.getKey(),
            current.open(record.getKey(), record.getValue()).orElseThrow()));
      }
      to.syncAll();
      probe.reached(RekeyStep.RECORDS_WRITTEN);
      keySource.storePending(nextKey);
      probe.reached(RekeyStep.KEY_PENDING);
      VaultFiles.replaceAtomically(recordsFile, RecordsFile.writePointer(generation));
      cipher = next;
      keyConfirmed = generation;
      probe.reached(RekeyStep.RECORDS_SWITCHED);
      keySource.promotePending();
      probe.reached(RekeyStep.KEY_PROMOTED);
      removeOtherGenerations(generation);
      bumpRevision();
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Keeps every record that opens, in a new generation, and the damaged records aside: a format 2 vault's folder is
   * copied to {@code records.damaged-TIME/}, a format 1 vault's file to {@code records.json.damaged-TIME} (0600, 0700
   * for the folder). The copy aside is made (and synced) before {@code records.json} is switched by one atomic
   * rename, so a crash at any point leaves either the damaged vault in place or both. Refuses, changing nothing, when
   * records exist but none opens: that is a wrong master key, not damage, and salvaging would set every record aside.
   */
  @Override
  public dev.authsome.core.VaultSalvage salvage() {
    checkOpen();
    prepareFolders();
    take(writeLock);
    try {
      byte[] pointer;
      try {
        pointer = java.nio.file.Files.readAllBytes(recordsFile);
      } catch (java.nio.file.NoSuchFileException e) {
        throw AuthsomeException.usage("there is no vault at " + recordsFile + ", so there is nothing to salvage");
      }
      RecordsFile.Snapshot layout;
      try {
        layout = RecordsFile.read(recordsFile);
      } catch (AuthsomeException unreadable) {
        layout = null;
      }
      long newest = newestGeneration();
      boolean legacy = layout != null ? layout.legacy() : newest == 0;
      boolean pointerReadable = layout != null;
      // What there is to keep: key -> sealed text, and the keys (or file names) that could not be read at all.
      SortedMap<String, String> found = new TreeMap<>();
      List<String> unreadable = new ArrayList<>();
      RecordFolder from = null;
      if (legacy) {
        found.putAll(layout != null ? layout.records() : RecordsFile.readWhatRemains(pointer));
      } else {
        from = folder(layout != null ? layout.generation() : newest);
        for (Path file : from.files(Integer.MAX_VALUE)) {
          String name = file.getFileName().toString();
          try {
            RecordFolder.Entry entry = from.read(file);
            if (RecordFolder.fileName(entry.key()).equals(name)) {
              found.put(entry.key(), entry.sealed());
              continue;
            }
          } catch (RecordFolder.Unreadable | IOException e) {
            // counted below
          }
          String key = RecordFolder.keyOf(name);
          unreadable.add(key != null ? key : name);
        }
      }
      RecordCipher current = existingCipher();
      List<String> damaged = damagedRecords(current, found);
      if (!damaged.isEmpty() && adoptNewerKey(damaged.get(0), found.get(damaged.get(0)))) {
        current = existingCipher();
        damaged = damagedRecords(current, found);
      }
      var kept = new TreeMap<String, String>(found);
      damaged.forEach(kept::remove);
      var lost = new ArrayList<String>(damaged);
      lost.addAll(unreadable);
      if (pointerReadable && lost.isEmpty()) {
        return new dev.authsome.core.VaultSalvage(List.copyOf(kept.keySet()), List.of(), "", describe());
      }
      if (kept.isEmpty() && damaged.size() > 1) {
        throw AuthsomeException.vault("refusing to salvage " + vaultDir + ": none of its " + damaged.size()
            + " records decrypts with the master key from " + keySource.describe() + ", so the key is probably not"
            + " this vault's (salvaging would set every record aside); nothing was changed; "
            + keySource.whenMissing());
      }
      String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
          .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
      Path aside = unusedName(vaultDir.resolve((legacy ? "records.json.damaged-" : "records.damaged-") + time));
      if (legacy) {
        keepAside(aside, pointer);
      } else {
        VaultFiles.createPrivateDirectories(aside);
        for (Path file : from.files(Integer.MAX_VALUE)) {
          keepAside(aside.resolve(file.getFileName().toString()), java.nio.file.Files.readAllBytes(file));
        }
        if (!pointerReadable) {
          keepAside(aside.resolve("records.json"), pointer);
        }
        VaultFiles.syncDirectory(vaultDir);
      }
      long generation = nextGeneration(layout != null ? layout.generation() : newest);
      RecordFolder to = newFolder(generation);
      for (Map.Entry<String, String> record : kept.entrySet()) {
        to.writeNew(record.getKey(), record.getValue());
      }
      to.syncAll();
      VaultFiles.replaceAtomically(recordsFile, RecordsFile.writePointer(generation));
      keyConfirmed = kept.isEmpty() ? 0 : generation;
      removeOtherGenerations(generation);
      bumpRevision();
      return new dev.authsome.core.VaultSalvage(List.copyOf(kept.keySet()), lost, aside.toString(), describe());
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    } finally {
      writeLock.unlock();
    }
  }

  private static Path unusedName(Path path) {
    Path candidate = path;
    for (int i = 2; java.nio.file.Files.exists(candidate); i++) {
      candidate = path.resolveSibling(path.getFileName() + "-" + i);
    }
    return candidate;
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
      Optional<Found> found = find(key);
      return found.isEmpty() || adoptNewerKey(key, found.get().sealed());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * When record {@code key} does not open with the key in hand, another process may have rekeyed: reload the key, and
   * if a rekey was interrupted after its records switch, promote its pending key. Returns whether a key now opens the
   * record. Call with the write lock held.
   */
  private boolean adoptNewerKey(String key, String sealed) {
    cipher = null;
    keyConfirmed = 0;
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
    }
  }

  /** Stores {@code value} under {@code key}, or deletes {@code key} when {@code value} is null; says if it existed. */
  private boolean update(String key, @Nullable String value) {
    checkOpen();
    prepareFolders();
    take(writeLock);
    try {
      RecordsFile.Snapshot layout = RecordsFile.read(recordsFile);
      if (!layout.exists()) {
        if (value == null) {
          return false;
        }
        layout = create();
      } else if (layout.legacy()) {
        if (value == null && !layout.records().containsKey(key)) {
          return false;
        }
        layout = upgrade(layout);
      }
      RecordFolder folder = folder(layout.generation());
      RecordCipher records = confirmedCipher(folder, key);
      String before = null;
      boolean existed;
      try {
        Optional<RecordFolder.Entry> entry = folder.read(key);
        existed = entry.isPresent();
        before = entry.map(RecordFolder.Entry::sealed).orElse(null);
      } catch (RecordFolder.Unreadable e) {
        if (value != null) {
          throw RecordFolder.damaged(e);
        }
        existed = true; // deleting a damaged record is how a user gives it up
      }
      if (value == null && !existed) {
        return false;
      }
      if (value != null && before != null && !records.opens(key, before)) {
        if (adoptNewerKey(key, before)) {
          records = existingCipher();
        } else {
          throw AuthsomeException.vault("refusing to change record '" + RecordsFile.shown(key) + "' in "
              + folder.fileOf(key) + ": it " + explain(records, key, "the file is left unchanged; "));
        }
      }
      String sealed = value == null ? null : records.seal(key, value);
      boolean marked = markWriting();
      try {
        if (sealed == null) {
          folder.delete(key);
        } else {
          folder.write(key, sealed);
        }
      } catch (IOException | RuntimeException e) {
        if (marked) {
          clearMarkIfUnchanged(folder, key, before);
        }
        throw e;
      }
      if (bumpRevision()) {
        doneWriting();
      }
      return existed;
    } catch (IOException e) {
      throw VaultFiles.writeFailed(vaultDir, e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The cipher for writing into {@code folder}, once it is known to be this vault's: a wrong key (another home's key
   * file, a changed {@code AUTHSOME_MASTER_KEY}) would add records that nothing can read beside the existing ones.
   * Trying a few existing records is enough: one that opens proves the key; when none does, the record being written
   * and the key source are checked for a newer key (another process's rekey) before refusing.
   */
  private RecordCipher confirmedCipher(RecordFolder folder, String key) throws IOException {
    RecordCipher records = existingCipher();
    long generation = generationOf(folder);
    if (keyConfirmed == generation) {
      return records;
    }
    RecordFolder.Entry failed = null;
    for (Path file : folder.files(KEY_SAMPLE)) {
      RecordFolder.Entry entry;
      try {
        entry = folder.read(file);
      } catch (RecordFolder.Unreadable | java.nio.file.NoSuchFileException e) {
        continue;
      }
      if (records.opens(entry.key(), entry.sealed())) {
        keyConfirmed = generation;
        return records;
      }
      failed = failed == null ? entry : failed;
    }
    if (failed == null) {
      keyConfirmed = generation; // nothing to compare with: an empty vault takes any key its source holds
      return records;
    }
    if (adoptNewerKey(failed.key(), failed.sealed())) {
      keyConfirmed = generation;
      return existingCipher();
    }
    throw AuthsomeException.vault("refusing to change the vault in " + vaultDir + ": its records do not decrypt with"
        + " the master key from " + keySource.describe() + ", which is probably not this vault's; nothing was"
        + " changed; " + keySource.whenMissing());
  }

  /** The first write of a new vault: generation 1 (or past any folder left over), and the key for it. */
  private RecordsFile.Snapshot create() throws IOException {
    newVaultCipher();
    long generation = nextGeneration(0);
    keyConfirmed = generation;
    newFolder(generation).syncAll();
    VaultFiles.replaceAtomically(recordsFile, RecordsFile.writePointer(generation));
    return new RecordsFile.Snapshot(true, new TreeMap<>(), generation);
  }

  /**
   * Upgrades a format 1 vault (every record inside {@code records.json}) to a generation folder, copying each sealed
   * record as it is (same key, same bytes), then switching {@code records.json} by one rename. Every record must open
   * first, as a format 1 write required: a damaged one is for {@code vault salvage}.
   */
  private RecordsFile.Snapshot upgrade(RecordsFile.Snapshot legacy) throws IOException {
    RecordCipher records = existingCipher();
    List<String> damaged = damagedRecords(records, legacy.records());
    if (!damaged.isEmpty() && adoptNewerKey(damaged.get(0), legacy.records().get(damaged.get(0)))) {
      records = existingCipher();
      damaged = damagedRecords(records, legacy.records());
    }
    if (!damaged.isEmpty()) {
      String more = damaged.size() > 1 ? " (and " + (damaged.size() - 1) + " more)" : "";
      throw AuthsomeException.vault("refusing to change " + recordsFile + ": record '"
          + RecordsFile.shown(damaged.get(0)) + "'" + more + " " + explain(records, damaged.get(0),
          "the file is left unchanged; "));
    }
    long generation = nextGeneration(0);
    RecordFolder folder = newFolder(generation);
    for (Map.Entry<String, String> record : legacy.records().entrySet()) {
      folder.writeNew(record.getKey(), record.getValue());
    }
    folder.syncAll();
    VaultFiles.replaceAtomically(recordsFile, RecordsFile.writePointer(generation));
    keyConfirmed = legacy.records().isEmpty() ? 0 : generation;
    removeOtherGenerations(generation);
    return new RecordsFile.Snapshot(true, new TreeMap<>(), generation);
  }

  /** Every record of {@code folder}; a file that is not a valid record stops the operation ({@code refusing}). */
  private static SortedMap<String, String> readAll(RecordFolder folder, String refusing) throws IOException {
    var records = new TreeMap<String, String>();
    for (Path file : folder.files(Integer.MAX_VALUE)) {
      try {
        RecordFolder.Entry entry = folder.read(file);
        if (!RecordFolder.fileName(entry.key()).equals(file.getFileName().toString())) {
          throw new RecordFolder.Unreadable(file, "it holds record '" + RecordsFile.shown(entry.key())
              + "', which belongs in another file (files swapped or renamed?)");
        }
        records.put(entry.key(), entry.sealed());
      } catch (RecordFolder.Unreadable e) {
        AuthsomeException damaged = RecordFolder.damaged(e);
        throw AuthsomeException.vault(refusing + damaged.getMessage(), null);
      }
    }
    return records;
  }

  /** A new, empty generation folder (0700); a folder of that name left by a crash is removed first. */
  private RecordFolder newFolder(long generation) throws IOException {
    RecordFolder folder = folder(generation);
    folder.deleteAll();
    VaultFiles.createPrivateDirectories(folder.dir);
    return folder;
  }

  /** One past the highest generation in use or left over, and past {@code current}. */
  private long nextGeneration(long current) throws IOException {
    return Math.max(current, newestGeneration()) + 1;
  }

  /** The highest {@code records.N} folder there is, or 0. */
  private long newestGeneration() throws IOException {
    long newest = 0;
    for (long generation : generations()) {
      newest = Math.max(newest, generation);
    }
    return newest;
  }

  private List<Long> generations() throws IOException {
    var generations = new ArrayList<Long>();
    try (var stream = java.nio.file.Files.newDirectoryStream(vaultDir, "records.*")) {
      for (Path dir : stream) {
        String suffix = dir.getFileName().toString().substring("records.".length());
        if (!suffix.isEmpty() && suffix.length() < 19 && suffix.chars().allMatch(Character::isDigit)
            && java.nio.file.Files.isDirectory(dir)) {
          generations.add(Long.parseLong(suffix));
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    }
    return generations;
  }

  /**
   * Removes every generation folder but {@code current}: older ones were replaced by a switch (a reader still in one
   * finds its file gone, reads {@code records.json} again and moves on), newer ones were never switched to (a rekey
   * that crashed before its switch). Damaged copies kept aside have other names and are never touched.
   */
  private void removeOtherGenerations(long current) throws IOException {
    for (long generation : generations()) {
      if (generation != current) {
        folder(generation).deleteAll();
      }
    }
  }

  /**
   * {@link #revision()} when no write is under way or was cut off (no {@code vault/writing}): every write creates
   * that file before it changes a record and removes it after the revision has moved, under the vault's write lock.
   * Costs one more stat than the revision.
   */
  @Override
  public Optional<Object> snapshotRevision() {
    checkOpen();
    if (java.nio.file.Files.exists(writingFile)) {
      return Optional.empty();
    }
    Optional<Object> revision = revision();
    // a write that began after the check above may have changed a record already, and not yet the revision
    return java.nio.file.Files.exists(writingFile) ? Optional.empty() : revision;
  }

  /** Marks a write under way; true when this write made the mark (none was left by a write cut off before). */
  private boolean markWriting() throws IOException {
    if (java.nio.file.Files.exists(writingFile)) {
      return false;
    }
    VaultFiles.replaceUnsynced(writingFile, new byte[0]);
    return true;
  }

  /**
   * After a write that failed: the mark goes when the record is still what it was (the write never reached it, as on a
   * full disk), so a write that failed cleanly leaves the vault exactly as it was. A record that did change, or that
   * cannot be read to tell, keeps the mark until a later write moves the revision.
   */
  private void clearMarkIfUnchanged(RecordFolder folder, String key, @Nullable String before) {
    try {
      String now = folder.read(key).map(RecordFolder.Entry::sealed).orElse(null);
      if (java.util.Objects.equals(now, before)) {
        java.nio.file.Files.deleteIfExists(writingFile);
      }
    } catch (IOException | RuntimeException e) {
      // kept: snapshots stay untrusted (slower listings, never stale ones)
    }
  }

  /**
   * Called only once the revision has moved: when that failed, the mark stays and snapshots stay untrusted until a
   * later write succeeds.
   */
  private void doneWriting() {
    try {
      java.nio.file.Files.deleteIfExists(writingFile);
    } catch (IOException e) {
      // snapshots stay untrusted (empty) until a later write removes it: slower listings, never stale ones
    }
  }

  /**
   * Tells {@link #revision} pollers that a record changed; false when that failed. A hint only for them: a failure
   * here loses no record.
   */
  private boolean bumpRevision() {
    byte[] token = new byte[12];
    RecordCipher.Randomness.INSTANCE.nextBytes(token);
    try {
      VaultFiles.replaceUnsynced(revisionFile, java.util.HexFormat.of().formatHex(token).getBytes(UTF_8));
      return true;
    } catch (IOException e) {
      // the record itself was written; a poller still sees generation switches and will refresh on its own schedule
      return false;
    }
  }

  /** The keys among {@code records} that do not open with {@code records}. */
  private static List<String> damagedRecords(RecordCipher cipher, SortedMap<String, String> records) {
    var damaged = new ArrayList<String>();
    for (Map.Entry<String, String> record : records.entrySet()) {
      if (!cipher.opens(record.getKey(), record.getValue())) {
        damaged.add(record.getKey());
      }
    }
    return damaged;
  }

  /**
   * Why record {@code failed} does not open, and what to do: a wrong master key when no other record opens either
   * (then deleting records would lose them), else damage to that record. Tries a few other records of the vault.
   */
  private String explain(RecordCipher records, String failed, String unchanged) {
    boolean others = false;
    for (Map.Entry<String, String> other : sample(failed, 8).entrySet()) {
      others = true;
      if (records.opens(other.getKey(), other.getValue())) {
        return "does not decrypt with the master key from " + keySource.describe() + " while other records do, so"
            + " it is damaged; " + unchanged + "run 'authsome vault salvage' to keep every record that still"
            + " decrypts in a fresh generation of the vault (the damaged records are kept aside), or restore "
            + vaultDir + " from a backup";
      }
    }
    if (others) {
      return "does not decrypt, and no other record does either: the master key from " + keySource.describe()
          + " is probably not this vault's; " + unchanged + keySource.whenMissing();
    }
    return "does not decrypt with the master key from " + keySource.describe() + " (it is damaged, or was written"
        + " with another key); " + unchanged + "check " + keySource.describe() + ", restore " + vaultDir
        + " from a backup, or run 'authsome vault salvage' (which keeps the damaged record aside) and log in again";
  }

  /** Up to {@code limit} readable records other than {@code skip}, key to sealed text. */
  private SortedMap<String, String> sample(String skip, int limit) {
    var sample = new TreeMap<String, String>();
    try {
      RecordsFile.Snapshot layout = layout();
      if (layout.legacy()) {
        for (Map.Entry<String, String> record : layout.records().entrySet()) {
          if (!record.getKey().equals(skip) && sample.size() < limit) {
            sample.put(record.getKey(), record.getValue());
          }
        }
      } else if (layout.exists()) {
        RecordFolder folder = folder(layout.generation());
        for (Path file : folder.files(limit + 1)) {
          try {
            RecordFolder.Entry entry = folder.read(file);
            if (!entry.key().equals(skip) && sample.size() < limit) {
              sample.put(entry.key(), entry.sealed());
            }
          } catch (RecordFolder.Unreadable | IOException e) {
            // not a record to compare with
          }
        }
      }
    } catch (IOException | AuthsomeException e) {
      // nothing to compare with: the explanation says so
    }
    return sample;
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
