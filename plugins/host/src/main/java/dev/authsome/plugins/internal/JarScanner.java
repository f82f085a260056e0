package dev.authsome.plugins.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads what the index needs from one jar with {@link ZipFile} (no class loading, no PF4J): the manifest's
 * {@code Plugin-Id} and {@code Authsome-Flows}, {@code provider.yaml}, and whether {@code META-INF/extensions.idx}
 * lists classes. Never throws: a bad jar becomes an entry with an error.
 */
public final class JarScanner {
  /** How many jars were opened; lets tests prove that a warm start opens none. */
  static final AtomicInteger OPENED = new AtomicInteger();

  public static final String PROVIDER_FILE = "provider.yaml";
  public static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";
  static final String FLOWS_ATTRIBUTE = "Authsome-Flows";
  private static final int MAX_SMALL_ENTRY = 1 << 16;
  private static final Pattern FLOW_ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

  private JarScanner() {
  }

  public static IndexEntry scan(Path jar, String key, long size, long mtime) {
    OPENED.incrementAndGet();
    String pluginId = null;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry manifestEntry = zip.getEntry("META-INF/MANIFEST.MF");
      if (manifestEntry == null) {
        return IndexEntry.failed(key, size, mtime, null, "no META-INF/MANIFEST.MF; not an authsome plugin jar");
      }
      Manifest manifest;
      try (InputStream in = zip.getInputStream(manifestEntry)) {
        // bounded: a hostile jar may declare a manifest that inflates to gigabytes
        byte[] bytes = in.readNBytes(MAX_SMALL_ENTRY + 1);
        if (bytes.length > MAX_SMALL_ENTRY) {
          return IndexEntry.failed(key, size, mtime, null, "its manifest is larger than " + MAX_SMALL_ENTRY
              + " bytes; not an authsome plugin jar");
        }
        manifest = new Manifest(new java.io.ByteArrayInputStream(bytes));
      }
      Attributes main = manifest.getMainAttributes();
      pluginId = main.getValue("Plugin-Id");
      if (pluginId == null || pluginId.isBlank()) {
        return IndexEntry.failed(key, size, mtime, null, "the manifest has no Plugin-Id; not an authsome plugin jar");
      }
      pluginId = pluginId.trim();
      if (main.getValue("Plugin-Version") == null) {
        return IndexEntry.failed(key, size, mtime, pluginId, "the manifest has no Plugin-Version");
      }
      List<String> flows = new ArrayList<>();
      String declared = main.getValue(FLOWS_ATTRIBUTE);
      if (declared != null) {
        for (String flow : declared.split(",")) {
          String id = flow.trim();
          if (id.isEmpty()) {
            continue;
          }
          if (!FLOW_ID.matcher(id).matches()) {
            return IndexEntry.failed(key, size, mtime, pluginId, "the manifest's " + FLOWS_ATTRIBUTE
                + " names an invalid flow id '" + id + "'");
          }
          flows.add(id);
        }
      }
      boolean extensions = hasExtensions(zip);
      if (!flows.isEmpty() && !extensions) {
        return IndexEntry.failed(key, size, mtime, pluginId, "declares flows " + flows + " but " + EXTENSIONS_INDEX
            + " lists no classes");
      }
      ZipEntry providerEntry = zip.getEntry(PROVIDER_FILE);
      java.util.Map<String, Object> provider = null;
      if (providerEntry != null) {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(providerEntry)) {
          bytes = in.readNBytes(ProviderDefinitions.MAX_DOCUMENT_BYTES + 1);
        }
        ProviderDefinition definition =
            ProviderDefinitions.parse(bytes, ProviderDefinitions.Format.YAML, jar + "!/" + PROVIDER_FILE);
        provider = ProviderDefinitions.toMap(definition);
      }
      if (provider == null && flows.isEmpty()) {
        return IndexEntry.failed(key, size, mtime, pluginId, "has neither " + PROVIDER_FILE + " nor "
            + FLOWS_ATTRIBUTE + " in its manifest; nothing to use");
      }
      return new IndexEntry(key, size, mtime, pluginId, flows, provider, extensions, null, false);
    } catch (AuthsomeException e) {
      return IndexEntry.failed(key, size, mtime, pluginId, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return IndexEntry.failed(key, size, mtime, pluginId, "cannot read the jar (" + oneLine(e)
          + "); replace or remove it");
    }
  }

  private static boolean hasExtensions(ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry(EXTENSIONS_INDEX);
    if (entry == null) {
      return false;
    }
    try (InputStream in = zip.getInputStream(entry)) {
      String text = new String(in.readNBytes(MAX_SMALL_ENTRY), StandardCharsets.UTF_8);
      return text.lines().map(String::trim).anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
    }
  }

  static String oneLine(Throwable e) {
    // a class refused as internal to authsome surfaces as a NoClassDefFoundError naming only the class; the refusal
    // (its cause) says why and what to use instead
    Throwable cause = e;
    for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
      if (cause instanceof GuardedPluginClassLoader.InternalClassRefused) {
        e = cause;
        break;
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(e.getClass().getSimpleName()).trim();
  }
}
