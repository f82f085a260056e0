package dev.authsome.vault.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.MasterKeyStore;
import dev.authsome.core.spi.MasterKeyStoreProvider;
import dev.authsome.core.spi.VaultContext;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Where this machine keeps the shared vault's AES-256 key: {@code AUTHSOME_MASTER_KEY} when set (base64 of 32
 * bytes; it always wins), else {@code vault.master_key}: {@code file} (the default: {@code vault/postgres.key}, 0600,
 * the file backend's key-file format) or {@code keychain} (item {@code postgres-master-key}). The key is this
 * vault's own, apart from a local file vault's: importing it never touches the file vault.
 */
abstract class MasterKey implements AutoCloseable {
  static final String VARIABLE = "AUTHSOME_MASTER_KEY";
  static final String KEYCHAIN_ITEM = "postgres-master-key";
  private static final String PENDING = "-pending";

  /** Names the source, never the key: {@code AUTHSOME_MASTER_KEY}, {@code key file /h/vault/postgres.key}. */
  abstract String describe();

  /** The key this source holds, if any. */
  abstract Optional<SecretKey> load();

  /** Whether authsome may write a key here (not to a variable the user sets). */
  abstract boolean canStore();

  /** Keeps {@code key} here, replacing any key. */
  abstract void store(SecretKey key);

  /**
   * The next key of a rekey in progress, kept beside the key until the database has switched to it: a crash after
   * the database's commit leaves it here, and the next open promotes it when the key no longer opens the vault.
   */
  Optional<SecretKey> loadPending() {
    return Optional.empty();
  }

  /** Keeps {@code key} as the pending next key (see {@link #loadPending}). */
  void storePending(SecretKey key) {
    store(key); // unreachable for a source that cannot store: rekey refuses those first
  }

  /** Makes the pending key the key. */
  void promotePending() {
  }

  /** Forgets a pending key (a rekey that did not commit). */
  void discardPending() {
  }

  @Override
  public void close() {
  }

  /** The source {@code context} selects. */
  static MasterKey select(VaultContext context) {
    String mode = context.setting("master_key").orElse("file");
    if (!mode.equals("file") && !mode.equals("env") && !mode.equals("keychain")) {
      throw AuthsomeException.usage("unknown vault.master_key '" + mode + "'; available: env, file, keychain");
    }
    String variable = context.env(VARIABLE).orElse("").strip();
    if (!variable.isEmpty()) {
      return new Env(variable);
    }
    if (mode.equals("env")) {
      throw AuthsomeException.vault("vault.master_key is 'env' but " + VARIABLE + " is not set; set it to the"
          + " shared vault's key (authsome vault key export prints it on a machine that has it)");
    }
    if (mode.equals("keychain")) {
      return new Keychain(context);
    }
    return new KeyFile(context.home().resolve("vault").resolve("postgres.key"));
  }

  static SecretKey fromBytes(byte[] bytes, String source) {
    if (bytes.length != RecordCipher.KEY_BYTES) {
      throw AuthsomeException.vault(source + " holds " + bytes.length + " bytes instead of " + RecordCipher.KEY_BYTES
          + "; set it to the base64 form of the shared vault's 32-byte key");
    }
    return new SecretKeySpec(bytes, "AES");
  }

  static byte @Nullable [] decodeBase64(String text) {
    try {
      return Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code AUTHSOME_MASTER_KEY}. */
  static final class Env extends MasterKey {
    private final String base64;

    Env(String base64) {
      this.base64 = base64;
    }

    @Override
    String describe() {
      return VARIABLE;
    }

    @Override
    Optional<SecretKey> load() {
      byte[] bytes = decodeBase64(base64);
      if (bytes == null) {
        throw AuthsomeException.vault(VARIABLE + " is not valid base64; set it to the shared vault's key");
      }
      return Optional.of(fromBytes(bytes, VARIABLE));
    }

    @Override
    boolean canStore() {
      return false;
    }

    @Override
    void store(SecretKey key) {
      throw AuthsomeException.usage(VARIABLE + " is set, so the key comes from it: set the variable to the key"
          + " instead (authsome never changes your environment)");
    }
  }

  /** {@code $AUTHSOME_HOME/vault/postgres.key}, the same JSON the file backend's {@code master.key} holds. */
  static final class KeyFile extends MasterKey {
    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]*)\"");
    private final Path file;

    KeyFile(Path file) {
      this.file = file;
    }

    @Override
    String describe() {
      return "key file " + file;
    }

    @Override
    Optional<SecretKey> load() {
      String text;
      try {
        text = Files.readString(file, UTF_8);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw AuthsomeException.vault("cannot read the key file " + file + " (" + e.getMessage() + "); check that"
            + " it is readable by you", e);
      }
      Matcher m = KEY.matcher(text);
      byte[] bytes = m.find() ? decodeBase64(m.group(1)) : null;
      if (bytes == null) {
        throw AuthsomeException.vault("the key file " + file + " is not valid (no base64 \"key\"); restore it, or"
            + " import the shared vault's key again with authsome vault key import --stdin");
      }
      return Optional.of(fromBytes(bytes, "the key file " + file));
    }

    @Override
    boolean canStore() {
      return true;
    }

    @Override
    void store(SecretKey key) {
      write(file, key);
    }

    private Path pending() {
      return file.resolveSibling(file.getFileName() + ".pending");
    }

    @Override
    Optional<SecretKey> loadPending() {
      return new KeyFile(pending()).load();
    }

    @Override
    void storePending(SecretKey key) {
      write(pending(), key);
    }

    @Override
    void promotePending() {
      try {
        try {
          Files.move(pending(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(pending(), file, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw AuthsomeException.vault("cannot move the new key " + pending() + " to " + file + " (" + e.getMessage()
            + "); the vault already uses the new key: move the file by hand (mv " + pending() + " " + file + ")", e);
      }
    }

    @Override
    void discardPending() {
      try {
        Files.deleteIfExists(pending());
      } catch (IOException e) {
        // a leftover pending key is never used while the key opens the vault; the next rekey replaces it
      }
    }

    private static void write(Path file, SecretKey key) {
      String json = "{\n  \"format\" : 1,\n  \"algorithm\" : \"AES-256-GCM\",\n  \"key\" : \""
          + Base64.getEncoder().encodeToString(key.getEncoded()) + "\"\n}\n";
      try {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
              "rwx------")));
        }
        Path temp = Files.createTempFile(dir, ".postgres.key", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
          Files.writeString(temp, json, UTF_8);
          try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw AuthsomeException.vault("cannot write the key file " + file + " (" + e.getMessage() + "); check the"
            + " permissions of " + file.getParent(), e);
      }
    }
  }

  /** The OS keychain, through the keychain backend's {@link MasterKeyStoreProvider}, opened on first use. */
  static final class Keychain extends MasterKey {
    private final VaultContext context;
    private @Nullable MasterKeyStore store;

    Keychain(VaultContext context) {
      this.context = context;
    }

    @Override
    String describe() {
      return "the OS keychain (item " + KEYCHAIN_ITEM + ")";
    }

    @Override
    Optional<SecretKey> load() {
      return store().read(KEYCHAIN_ITEM).map(bytes -> fromBytes(bytes, describe()));
    }

    @Override
    boolean canStore() {
      return true;
    }

    @Override
    void store(SecretKey key) {
      store().write(KEYCHAIN_ITEM, key.getEncoded());
    }

    @Override
    Optional<SecretKey> loadPending() {
      return store().read(KEYCHAIN_ITEM + PENDING).map(bytes -> fromBytes(bytes, describe()));
    }

    @Override
    void storePending(SecretKey key) {
      store().write(KEYCHAIN_ITEM + PENDING, key.getEncoded());
    }

    @Override
    void promotePending() {
      Optional<byte[]> next = store().read(KEYCHAIN_ITEM + PENDING);
      if (next.isPresent()) {
        store().write(KEYCHAIN_ITEM, next.get());
        store().delete(KEYCHAIN_ITEM + PENDING);
      }
    }

    @Override
    void discardPending() {
      store().delete(KEYCHAIN_ITEM + PENDING);
    }

    private synchronized MasterKeyStore store() {
      if (store == null) {
        store = openKeychain(context).orElseThrow(() -> AuthsomeException.vault("vault.master_key is 'keychain'"
            + " but no keychain support is installed; set AUTHSOME_MASTER_KEY to the shared vault's key"));
      }
      return store;
    }

    @Override
    public synchronized void close() {
      if (store != null) {
        store.close();
        store = null;
      }
    }
  }

  /** The keychain's store, when the keychain backend is installed; its errors (no keychain here) propagate. */
  static Optional<MasterKeyStore> openKeychain(VaultContext context) {
    try {
      for (MasterKeyStoreProvider provider : ServiceLoader.load(MasterKeyStoreProvider.class,
          MasterKey.class.getClassLoader())) {
        if (provider.id().equals("keychain")) {
          return Optional.of(provider.open(context));
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      throw AuthsomeException.vault("the keychain support failed to load (" + e.getMessage() + ")", e);
    }
    return Optional.empty();
  }
}
