package dev.authsome.providers;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginProblem;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The build step that turns every {@code providers/NAME.yaml} into one PF4J plugin jar,
 * {@code provider-NAME-VERSION.jar} (a manifest and the file as {@code provider.yaml}), then writes the folder's
 * prebuilt {@code index.json} with the plugin host's own scanner. Each definition must pass the bundled catalogue's
 * validation and be named like its file; otherwise the build fails listing every bad file. Jars are reproducible:
 * fixed entry order and timestamps.
 *
 * <p>Usage: {@code generate SOURCE_DIR OUTPUT_DIR VERSION TIMESTAMP} (TIMESTAMP as ISO-8601, e.g. the build's
 * {@code project.build.outputTimestamp}), or {@code check FILE...} to validate definitions only (for provider
 * modules that carry Java and build their jar themselves), or {@code index PLUGINS_DIR} to rewrite the prebuilt index
 * of an assembled {@code plugins/} folder.
 */
public final class ProviderJarGenerator {
  private ProviderJarGenerator() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length >= 1 && args[0].equals("check")) {
      List<String> errors = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        check(Path.of(args[i]), errors);
      }
      fail(errors);
      return;
    }
    if (args.length == 2 && args[0].equals("index")) {
      // the distribution's plugins/ holds flow and quirk jars too: index the whole folder as shipped
      List<PluginProblem> problems = PluginHost.writeBundledIndex(Path.of(args[1]));
      if (!problems.isEmpty()) {
        throw new IllegalStateException("unusable plugin jars in " + args[1] + ": " + problems);
      }
      return;
    }
    if (args.length != 5 || !args[0].equals("generate")) {
      throw new IllegalArgumentException(
          "usage: generate SOURCE_DIR OUTPUT_DIR VERSION TIMESTAMP | check FILE... | index PLUGINS_DIR");
    }
    long start = System.nanoTime();
    int count = generate(Path.of(args[1]), Path.of(args[2]), args[3], Instant.parse(args[4]));
    System.out.printf("authsome-providers: %d provider plugin jars and index.json in %s (%d ms)%n", count, args[2],
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Generates the jars and the index; returns how many jars were written. */
  public static int generate(Path sourceDir, Path outputDir, String version, Instant timestamp) throws IOException {
    List<Path> sources = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(sourceDir, "*.{yaml,yml}")) {
      stream.forEach(sources::add);
    }
    sources.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
    List<String> errors = new ArrayList<>();
    List<ProviderDefinition> definitions = new ArrayList<>();
    for (Path source : sources) {
      definitions.add(check(source, errors));
    }
    fail(errors);

    Files.createDirectories(outputDir);
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(outputDir, "*.{jar,json}")) {
      for (Path file : stale) {
        Files.delete(file);
      }
    }
    FileTime fileTime = FileTime.from(timestamp);
    for (int i = 0; i < sources.size(); i++) {
      String name = definitions.get(i).name();
      Path jar = outputDir.resolve("provider-" + name + "-" + version + ".jar");
      writeJar(jar, "provider-" + name, version, definitions.get(i).displayName(), Files.readAllBytes(sources.get(i)),
          timestamp);
      // the bundled index records modification times too: fix them so that index.json is reproducible
      Files.setLastModifiedTime(jar, fileTime);
    }
    List<PluginProblem> problems = PluginHost.writeBundledIndex(outputDir);
    Files.setLastModifiedTime(outputDir.resolve("index.json"), fileTime);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the plugin host cannot use generated jars: " + problems);
    }
    return sources.size();
  }

  private static ProviderDefinition check(Path source, List<String> errors) {
    try {
      ProviderDefinition d = ProviderDefinitions.read(source);
      ProviderDefinitions.validateBundled(d, source.toString(), ProviderDefinitions.BUILTIN_FLOWS);
      String file = source.getFileName().toString();
      String stem = file.substring(0, file.lastIndexOf('.'));
      // a provider module's file is always provider.yaml; a catalogue file is named for its provider
      if (!stem.equals("provider") && !d.name().equals(stem)) {
        errors.add(source + ": field 'name' is '" + d.name() + "' but the file is named for '" + stem + "'");
      }
      return d;
    } catch (AuthsomeException e) {
      errors.add(e.getMessage());
      return null;
    }
  }

  private static void fail(List<String> errors) {
    if (!errors.isEmpty()) {
      throw new IllegalStateException(errors.size() + " invalid provider definition(s):\n  "
          + String.join("\n  ", errors));
    }
  }

  static void writeJar(Path jar, String pluginId, String version, String description, byte[] providerYaml,
      Instant timestamp) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(new Attributes.Name("Plugin-Id"), pluginId);
    main.put(new Attributes.Name("Plugin-Version"), version);
    main.put(new Attributes.Name("Plugin-Provider"), "authsome");
    main.put(new Attributes.Name("Plugin-Description"), description.replaceAll("[\\r\\n]", " "));
    ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
    manifest.write(manifestBytes);
    LocalDateTime time = LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(jar));
        ZipOutputStream zip = new ZipOutputStream(file)) {
      // JarOutputStream would stamp the manifest with the current time; write every entry by hand instead
      put(zip, "META-INF/", null, time);
      put(zip, "META-INF/MANIFEST.MF", manifestBytes.toByteArray(), time);
      put(zip, "provider.yaml", providerYaml, time);
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] content, LocalDateTime time) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTimeLocal(time);
    zip.putNextEntry(entry);
    if (content != null) {
      zip.write(content);
    }
    zip.closeEntry();
  }
}
