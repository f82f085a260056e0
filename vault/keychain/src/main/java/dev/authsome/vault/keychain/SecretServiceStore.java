package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import dev.authsome.vault.keychain.DBusSession.DBusCallException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;

/**
 * The Linux keychain: items of the default collection of the freedesktop Secret Service (gnome-keyring, KeePassXC,
 * KWallet), spoken to over D-Bus. Every item carries the attributes {@code service}, {@code account} and
 * {@code vault}, and every search includes {@code service} and {@code vault}.
 *
 * <p>authsome never shows an unlock prompt (it runs headless, under agents): a locked keyring is an error that says
 * how to unlock it.
 */
final class SecretServiceStore implements CredentialStore {
  static final String BUS_NAME = "org.freedesktop.secrets";
  private static final String SERVICE_PATH = "/org/freedesktop/secrets";
  private static final String SERVICE = "org.freedesktop.Secret.Service";
  private static final String COLLECTION = "org.freedesktop.Secret.Collection";
  private static final String ITEM = "org.freedesktop.Secret.Item";
  private static final String PROPERTIES = "org.freedesktop.DBus.Properties";
  private static final String NO_PROMPT = "/";
  private static final String CONTENT_TYPE = "text/plain; charset=utf8";

  private final DBusSession bus;
  private final String serviceName;
  private final String vaultId;
  private final DBusPath session;
  private final TransportCipher cipher;
  private final String collection;
  private final String collectionLabel;

  private SecretServiceStore(DBusSession bus, String serviceName, String vaultId, DBusPath session,
      TransportCipher cipher, String collection, String collectionLabel) {
    this.bus = bus;
    this.serviceName = serviceName;
    this.vaultId = vaultId;
    this.session = session;
    this.cipher = cipher;
    this.collection = collection;
    this.collectionLabel = collectionLabel;
  }

  /**
   * Connects, opens an encrypted session and checks that the default keyring exists and is unlocked; fails within a
   * few seconds otherwise.
   */
  static SecretServiceStore open(Map<String, String> environment, String serviceName, String vaultId,
      Duration timeout) {
    DBusSession bus = DBusSession.connect(environment, timeout);
    try {
      TransportCipher cipher = new TransportCipher();
      Object[] opened = call(bus, SERVICE_PATH, SERVICE, "OpenSession", "sv", TransportCipher.ALGORITHM,
          new Variant<>(cipher.publicValue(), "ay"));
      cipher.agree(bytes(((Variant<?>) opened[0]).getValue()));
      DBusPath session = (DBusPath) opened[1];

      String collection = ((DBusPath) call(bus, SERVICE_PATH, SERVICE, "ReadAlias", "s", "default")[0]).getPath();
      if (NO_PROMPT.equals(collection)) {
        throw AuthsomeException.vault("the Secret Service has no default keyring: create one (e.g. log in to the"
            + " desktop once, or gnome-keyring-daemon --unlock), or " + DBusSession.FIX);
      }
      String label = String.valueOf(property(bus, collection, COLLECTION, "Label"));
      if (Boolean.TRUE.equals(property(bus, collection, COLLECTION, "Locked"))) {
        throw locked(label);
      }
      return new SecretServiceStore(bus, serviceName, vaultId, session, cipher, collection, label);
    } catch (RuntimeException e) {
      bus.close();
      throw e;
    }
  }

  @Override
  public Optional<byte[]> read(String account) {
    List<DBusPath> items = search(attributes(account));
    if (items.isEmpty()) {
      return Optional.empty();
    }
    Object[] secret = (Object[]) call(items.get(0).getPath(), ITEM, "GetSecret", "o", session)[0];
    try {
      return Optional.of(cipher.decrypt(bytes(secret[1]), bytes(secret[2])));
    } catch (GeneralSecurityException e) {
      throw AuthsomeException.vault("the Secret Service sent an undecryptable secret for '" + account
          + "'; restart the keyring daemon, or " + DBusSession.FIX, e);
    }
  }

  @Override
  public void write(String account, String label, byte[] value) {
    Map<String, Variant<?>> properties = new LinkedHashMap<>();
    properties.put(ITEM + ".Label", new Variant<>(label));
    properties.put(ITEM + ".Attributes", new Variant<>(attributes(account), "a{ss}"));
    byte[][] sealed = cipher.encrypt(value);
    Object[] secret = {session, sealed[0], sealed[1], CONTENT_TYPE};
    // replace=true: the service swaps an item with the same attributes in one step, so a reader never sees none
    Object[] created = call(collection, COLLECTION, "CreateItem", "a{sv}(oayays)b", properties, secret, true);
    if (!NO_PROMPT.equals(((DBusPath) created[1]).getPath())) {
      throw locked(collectionLabel);
    }
  }

  @Override
  public boolean delete(String account) {
    List<DBusPath> items = search(attributes(account));
    for (DBusPath item : items) {
      Object[] prompt = call(item.getPath(), ITEM, "Delete", "");
      if (!NO_PROMPT.equals(((DBusPath) prompt[0]).getPath())) {
        throw locked(collectionLabel);
      }
    }
    return !items.isEmpty();
  }

  @Override
  public List<String> accounts() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("service", serviceName);
    query.put("vault", vaultId);
    List<String> accounts = new ArrayList<>();
    for (DBusPath item : search(query)) {
      try {
        Object attributes = property(bus, item.getPath(), ITEM, "Attributes");
        if (attributes instanceof Map<?, ?> map && map.get("account") instanceof String account) {
          accounts.add(account);
        }
      } catch (AuthsomeException e) {
        // deleted between the search and this read (another process): it is simply no longer listed
        if (!(e.getCause() instanceof DBusCallException gone && gone.name().contains("UnknownObject"))) {
          throw e;
        }
      }
    }
    return accounts;
  }

  @Override
  public int maxValueBytes() {
    // the Secret Service has no practical item limit (a D-Bus message may hold 128 MiB)
    return 64 * 1024 * 1024;
  }

  @Override
  public String describe() {
    return "Secret Service " + BUS_NAME + ", keyring '" + collectionLabel + "', vault " + vaultId;
  }

  @Override
  public void close() {
    try {
      call(session.getPath(), "org.freedesktop.Secret.Session", "Close", "");
    } catch (AuthsomeException e) {
      // the session dies with the connection anyway
    } finally {
      bus.close();
    }
  }

  private Map<String, String> attributes(String account) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("service", serviceName);
    attributes.put("account", account);
    attributes.put("vault", vaultId);
    return attributes;
  }

  /** Unlocked items matching {@code attributes}; any locked match means the keyring is locked. */
  private List<DBusPath> search(Map<String, String> attributes) {
    Object[] found = call(SERVICE_PATH, SERVICE, "SearchItems", "a{ss}", attributes);
    List<DBusPath> unlocked = paths(found[0]);
    if (unlocked.isEmpty() && !paths(found[1]).isEmpty()) {
      throw locked(collectionLabel);
    }
    return unlocked;
  }

  private Object[] call(String path, String iface, String member, String signature, Object... args) {
    return call(bus, path, iface, member, signature, args);
  }

  private static Object[] call(DBusSession bus, String path, String iface, String member, String signature,
      Object... args) {
    try {
      return bus.call(BUS_NAME, path, iface, member, signature, args);
    } catch (DBusCallException e) {
      throw translate(e, member);
    }
  }

  private static Object property(DBusSession bus, String path, String iface, String name) {
    Object value = call(bus, path, PROPERTIES, "Get", "ss", iface, name)[0];
    return value instanceof Variant<?> variant ? variant.getValue() : value;
  }

  private static AuthsomeException translate(DBusCallException e, String member) {
    String name = e.name();
    if (name.equals("org.freedesktop.DBus.Error.ServiceUnknown")
        || name.equals("org.freedesktop.DBus.Error.Spawn.ServiceNotFound")
        || name.startsWith("org.freedesktop.DBus.Error.Spawn.")) {
      return AuthsomeException.vault("no Secret Service on the D-Bus session bus (" + BUS_NAME + " is not"
          + " running and cannot be started): install and start gnome-keyring or KeePassXC, or " + DBusSession.FIX, e);
    }
    if (name.equals("org.freedesktop.Secret.Error.IsLocked") || name.equals("org.gnome.keyring.Error.Denied")) {
      return locked("default");
    }
    if (name.equals("org.freedesktop.DBus.Error.NoReply") || name.equals("org.freedesktop.DBus.Error.Timeout")) {
      return AuthsomeException.vault("the Secret Service did not answer " + member + ": restart the keyring daemon,"
          + " or " + DBusSession.FIX, e);
    }
    if (name.equals("org.freedesktop.DBus.Error.NotSupported")) {
      return AuthsomeException.vault("the Secret Service does not support the encrypted transport "
          + TransportCipher.ALGORITHM + "; use gnome-keyring or KeePassXC, or " + DBusSession.FIX, e);
    }
    return AuthsomeException.vault("the Secret Service refused " + member + " (" + e.getMessage() + "); "
        + DBusSession.FIX, e);
  }

  private static AuthsomeException locked(String label) {
    return AuthsomeException.vault("the keyring '" + label + "' is locked: unlock it (log in to the desktop, or"
        + " printf %s PASSWORD | gnome-keyring-daemon --replace --unlock --components=secrets), or "
        + DBusSession.FIX);
  }

  private static List<DBusPath> paths(Object value) {
    List<DBusPath> paths = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        paths.add(o instanceof DBusPath p ? p : new DBusPath(String.valueOf(o)));
      }
    } else if (value instanceof Object[] array) {
      for (Object o : array) {
        paths.add(o instanceof DBusPath p ? p : new DBusPath(String.valueOf(o)));
      }
    }
    return paths;
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof List<?> list) {
      byte[] b = new byte[list.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (Byte) list.get(i);
      }
      return b;
    }
    throw AuthsomeException.vault("unexpected Secret Service reply (" + value.getClass().getSimpleName()
        + " where bytes were expected); " + DBusSession.FIX);
  }
}
