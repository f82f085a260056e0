package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.VaultProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The vault backends a process can use, by {@link VaultProvider#id() id}.
 *
 * <p>{@link #installed()} finds them with {@link ServiceLoader} (module path: {@code provides VaultProvider with ...};
 * class path: {@code META-INF/services}); {@link #of(Collection)} takes explicit instances, so tests and embedders
 * can bypass discovery. {@link #find(String)} and {@link #available()} are shortcuts for the installed set.
 */
public final class VaultBackends {

  private final SortedMap<String, VaultProvider> byId;
  private final List<String> problems;

  private VaultBackends(SortedMap<String, VaultProvider> byId, List<String> problems) {
    this.byId = Collections.unmodifiableSortedMap(byId);
    this.problems = List.copyOf(problems);
  }

  /**
   * The given backends. When two share an id, the first wins and the second is reported in {@link #problems()}.
   */
  public static VaultBackends of(Collection<? extends VaultProvider> providers) {
    requireNonNull(providers, "providers");
    var byId = new TreeMap<String, VaultProvider>();
    var problems = new ArrayList<String>();
    for (VaultProvider provider : providers) {
      add(byId, problems, requireNonNull(provider, "provider"));
    }
    return new VaultBackends(byId, problems);
  }

  /** The given backends; see {@link #of(Collection)}. */
  public static VaultBackends of(VaultProvider... providers) {
    return of(List.of(providers));
  }

  /**
   * The backends installed in this process, found with {@link ServiceLoader}. A backend that fails to load is left
   * out and reported in {@link #problems()}, so one broken jar never hides the others.
   */
  public static VaultBackends installed() {
    var byId = new TreeMap<String, VaultProvider>();
    var problems = new ArrayList<String>();
    var iterator = ServiceLoader.load(VaultProvider.class).iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        add(byId, problems, iterator.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add("a vault backend failed to load: " + e.getMessage());
      }
    }
    return new VaultBackends(byId, problems);
  }

  /** The installed backend with this id; see {@link #provider(String)}. */
  public static VaultProvider find(String id) {
    return installed().provider(id);
  }

  /** The ids of the installed backends, sorted. */
  public static List<String> available() {
    return installed().ids();
  }

  /**
   * The backend with this id.
   *
   * @throws AuthsomeException with {@link ErrorCode#USAGE} naming the id and listing the available ones
   */
  public VaultProvider provider(String id) {
    requireNonNull(id, "id");
    VaultProvider provider = byId.get(id);
    if (provider == null) {
      throw AuthsomeException.usage("unknown vault backend '" + id + "'; available: "
          + (byId.isEmpty() ? "none (no vault backend is installed)" : String.join(", ", byId.keySet())));
    }
    return provider;
  }

  /** The ids of these backends, sorted. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /** These backends, sorted by id. */
  public List<VaultProvider> providers() {
    return List.copyOf(byId.values());
  }

  /** One line for each backend that failed to load or clashed with another's id (for {@code doctor}). */
  public List<String> problems() {
    return problems;
  }

  private static void add(SortedMap<String, VaultProvider> byId, List<String> problems, VaultProvider provider) {
    String id = provider.id();
    VaultProvider first = byId.putIfAbsent(id, provider);
    if (first != null && first != provider) {
      problems.add("vault backend id '" + id + "' is provided twice (" + first.getClass().getName() + ", "
          + provider.getClass().getName() + "); using the first");
    }
  }
}
