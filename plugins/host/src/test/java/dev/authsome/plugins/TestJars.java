package dev.authsome.plugins;

import dev.authsome.core.spi.AuthFlow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars for tests: a manifest, a {@code provider.yaml}, and classes compiled from source with the
 * JDK's compiler against the core API, listed in {@code META-INF/extensions.idx}. Nothing here is on the test class
 * path, so PF4J has to load it from the jar.
 */
public final class TestJars {
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<String> extensions = new ArrayList<>();

  private TestJars(String pluginId) {
    manifest.put("Plugin-Id", pluginId);
    manifest.put("Plugin-Version", "0.1.0");
    manifest.put("Plugin-Provider", "authsome-tests");
  }

  public static TestJars plugin(String pluginId) {
    return new TestJars(pluginId);
  }

  public static TestJars provider(String name, String yaml) {
    return plugin("provider-" + name).entry("provider.yaml", yaml);
  }

  public TestJars manifest(String name, String value) {
    manifest.put(name, value);
    return this;
  }

  public TestJars flows(String... ids) {
    return manifest("Authsome-Flows", String.join(",", ids));
  }

  public TestJars entry(String name, String text) {
    entries.put(name, text.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Compiles {@code source} (a whole compilation unit) into the jar and lists the class as an extension. */
  public TestJars extension(String className, String source) {
    sources.put(className, source);
    extensions.add(className);
    return this;
  }

  /** Lists a class as an extension without providing it (a class that fails to load). */
  public TestJars missingExtension(String className) {
    extensions.add(className);
    return this;
  }

  public Path writeTo(Path jar) {
    try {
      Files.createDirectories(jar.getParent());
      Manifest mf = new Manifest();
      mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      manifest.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
      Map<String, byte[]> all = new LinkedHashMap<>(entries);
      all.putAll(compile());
      if (!extensions.isEmpty()) {
        all.put("META-INF/extensions.idx", (String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
          out.putNextEntry(new JarEntry(e.getKey()));
          out.write(e.getValue());
          out.closeEntry();
        }
      }
      try (OutputStream out = Files.newOutputStream(jar)) {
        out.write(bytes.toByteArray());
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, byte[]> compile() throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    if (sources.isEmpty()) {
      return classes;
    }
    Path work = Files.createTempDirectory("authsome-testjar");
    Path src = work.resolve("src");
    Path out = work.resolve("classes");
    Files.createDirectories(out);
    List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-classpath", coreClassPath(),
        "-d", out.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = compiler.run(null, errors, errors, args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("test plugin does not compile:\n" + errors);
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        classes.put(out.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    return classes;
  }

  /** Where the core API classes are (a folder or a jar), so that test plugins compile against the real SPI. */
  private static String coreClassPath() {
    try {
      return Path.of(AuthFlow.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A minimal valid API-key provider definition. */
  public static String apiKeyProvider(String name, String displayName) {
    return """
        schema_version: 1
        name: %s
        display_name: %s
        docs_url: https://docs.example.com/%s
        auth_type: api_key
        flow: api_key
        api_key: {header_name: Authorization, header_prefix: Bearer}
        api_url: [api.%s.example.com]
        """.formatted(name, displayName, name, name);
  }

  /** Source of an {@link AuthFlow} named {@code className} whose id is {@code id}; its refresh always throws. */
  public static String flowSource(String className, String id) {
    int dot = className.lastIndexOf('.');
    return """
        package %s;
        import dev.authsome.core.*;
        import dev.authsome.core.spi.*;
        import java.util.Set;
        public class %s implements AuthFlow {
          public String id() { return "%s"; }
          public Set<AuthType> authTypes() { return Set.of(AuthType.API_KEY); }
          public String description() { return "test flow %s from " + getClass().getClassLoader().getClass().getName(); }
          public FlowResult login(FlowContext context) {
            throw new AuthsomeException(ErrorCode.AUTHENTICATION_FAILED, "login refused by test flow");
          }
          public ConnectionRecord refresh(FlowContext context, ConnectionRecord current) {
            throw new IllegalStateException("refresh exploded");
          }
        }
        """.formatted(className.substring(0, dot), className.substring(dot + 1), id, id);
  }
}
