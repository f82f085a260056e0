package dev.authsome.plugins.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the index remembers about one jar, keyed by its path, size and modification time: enough to list providers
 * and flows without opening it.
 *
 * @param path the absolute jar path (home index) or the bare file name (the bundled folder's prebuilt index)
 * @param provider the jar's {@code provider.yaml} as parsed and rewritten with the newer field names
 * @param error why the jar cannot be used; such a jar is skipped and reported until it changes
 * @param validated true when the build that wrote the bundled folder's prebuilt index found the definition valid in
 *     every respect but its flow (whether a flow is installed is known only at run time): the catalogue then checks
 *     only the flow. Only {@link PluginIndex#writeBundled} sets it, for jars it ships with the rules it ships.
 */
public record IndexEntry(String path, long size, long mtime, @Nullable String pluginId, List<String> flows,
    @Nullable Map<String, Object> provider, boolean extensions, @Nullable String error, boolean validated) {

  public IndexEntry {
    requireNonNull(path, "path");
    flows = List.copyOf(flows);
  }

  static IndexEntry failed(String path, long size, long mtime, @Nullable String pluginId, String error) {
    return new IndexEntry(path, size, mtime, pluginId, List.of(), null, false, error, false);
  }

  IndexEntry withPath(String newPath, long newMtime) {
    return new IndexEntry(newPath, size, newMtime, pluginId, flows, provider, extensions, error, validated);
  }

  IndexEntry withValidated(boolean newValidated) {
    return new IndexEntry(path, size, mtime, pluginId, flows, provider, extensions, error, newValidated);
  }

  String kind() {
    if (provider != null && !flows.isEmpty()) {
      return "provider+flow";
    }
    return provider != null ? "provider" : flows.isEmpty() ? "other" : "flow";
  }

  Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("path", path);
    out.put("size", size);
    out.put("mtime", mtime);
    out.put("plugin_id", pluginId);
    out.put("kind", kind());
    out.put("flows", flows);
    out.put("provider", provider);
    out.put("extensions", extensions);
    out.put("error", error);
    if (validated) {
      out.put("validated", true); // absent otherwise: an index written before this field reads the same
    }
    return out;
  }

  /** Reads one entry; null when the shape is not what this version writes (the jar is then scanned again). */
  @SuppressWarnings("unchecked")
  static @Nullable IndexEntry fromJson(Object json) {
    if (!(json instanceof Map<?, ?> map)
        || !(map.get("path") instanceof String path)
        || !(map.get("size") instanceof Number size)
        || !(map.get("mtime") instanceof Number mtime)
        || !(map.get("flows") instanceof List<?> flowList)
        || !(map.get("extensions") instanceof Boolean extensions)) {
      return null;
    }
    Object pluginId = map.get("plugin_id");
    Object provider = map.get("provider");
    Object error = map.get("error");
    Object validated = map.get("validated");
    if ((pluginId != null && !(pluginId instanceof String)) || (provider != null && !(provider instanceof Map))
        || (error != null && !(error instanceof String)) || (validated != null && !(validated instanceof Boolean))) {
      return null;
    }
    List<String> flows = new ArrayList<>();
    for (Object flow : flowList) {
      if (!(flow instanceof String s)) {
        return null;
      }
      flows.add(s);
    }
    return new IndexEntry(path, size.longValue(), mtime.longValue(), (String) pluginId, flows,
        (Map<String, Object>) provider, extensions, (String) error, Boolean.TRUE.equals(validated));
  }
}
