package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reading, writing, resolving and validating {@link ProviderDefinition}s.
 *
 * <p>The reader accepts YAML and JSON in either era's field names (the Python tool's {@code host_url}, {@code docs},
 * {@code export.env} and ours) and keeps unknown fields; the writer always uses the newer names, and writing then
 * reading yields an equal definition. Documents larger than {@link #MAX_DOCUMENT_BYTES}, deeper than 64 levels or
 * using more than 20 YAML aliases are refused, so that a hostile file cannot exhaust memory. Every problem is an
 * {@link AuthsomeException} with {@link ErrorCode#INVALID_PROVIDER} whose one-line message names the origin, the
 * field and the bad value.
 */
public final class ProviderDefinitions {

  /** The largest provider document read (1 MiB). */
  public static final int MAX_DOCUMENT_BYTES = 1 << 20;

  /** The flows authsome ships. */
  public static final Set<String> BUILTIN_FLOWS =
      Set.of("api_key", "pkce", "device_code", "dcr_pkce", "client_credentials");

  /** The shipped flows that serve {@link AuthType#OAUTH2}, in the order shown in messages. */
  public static final List<String> OAUTH_FLOWS = List.of("pkce", "device_code", "dcr_pkce", "client_credentials");

  /** The credential fields an {@code export} entry may name. */
  public static final Set<String> CREDENTIAL_FIELDS = Set.of("access_token", "refresh_token", "api_key");

  /**
   * The fields {@code inspect} adds around a definition (where it came from, what it hides, its connections). The
   * reader ignores them, so that {@code inspect NAME --json > providers/NAME.json} loads back as the same definition.
   */
  public static final Set<String> INSPECT_FIELDS = Set.of("source", "origin", "shadowed", "connections");

  private static final int MAX_NESTING = 64;
  private static final int MAX_ALIASES = 20;

  private ProviderDefinitions() {
  }

  /** The two file formats; JSON may carry {@code //} comments, as the Python tool's newer files do. */
  public enum Format {
    YAML,
    JSON;

    /** The format of a file by its extension: {@code .json}, {@code .yaml} or {@code .yml}. */
    public static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".json")) {
        return JSON;
      }
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return YAML;
      }
      throw new AuthsomeException(ErrorCode.INVALID_PROVIDER,
          "Provider file " + file + " must end in .yaml, .yml or .json; rename it and try again.");
    }
  }

  /** Reads a definition file; the format follows the extension. Does not validate (see {@link #validate}). */
  public static ProviderDefinition read(Path file) {
    requireNonNull(file, "file");
    Format format = Format.of(file);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
      return parse(bytes, format, file.toString());
    } catch (IOException e) {
      throw new AuthsomeException(ErrorCode.INVALID_PROVIDER,
          "Cannot read provider file " + file + ": " + e.getMessage() + "; check that it exists and is readable.", e);
    }
  }

  /** Parses a definition from text. {@code origin} names the source in error messages. */
  public static ProviderDefinition parse(String text, Format format, String origin) {
    requireNonNull(text, "text");
    return parse(text.getBytes(StandardCharsets.UTF_8), format, origin);
  }

  /** Parses a definition from UTF-8 bytes. {@code origin} names the source in error messages. */
  public static ProviderDefinition parse(byte[] bytes, Format format, String origin) {
    requireNonNull(bytes, "bytes");
    requireNonNull(format, "format");
    requireNonNull(origin, "origin");
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw DefinitionFields.invalid(origin, "the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    Object document;
    try {
      document = (format == Format.YAML ? Yaml.MAPPER : Json.MAPPER).readValue(bytes, Object.class);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // snakeyaml reports some limits as unchecked exceptions; every one of them is a bad document
      throw DefinitionFields.invalid(origin, "not valid " + format.name() + " (" + firstLine(e) + ")");
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw DefinitionFields.invalid(origin, "the document must be a mapping of fields (got "
          + DefinitionFields.describe(document) + ")");
    }
    return fromMap(map, origin);
  }

  /** Builds a definition from an already parsed document (nested maps, lists and scalars). */
  public static ProviderDefinition fromMap(Map<?, ?> document, String origin) {
    requireNonNull(document, "document");
    requireNonNull(origin, "origin");
    try {
      return DefinitionReader.read(document, origin);
    } catch (AuthsomeException e) {
      throw e;
    } catch (RuntimeException e) {
      // a document shape no accessor anticipated is still the file's fault, not ours
      throw DefinitionFields.invalid(origin, "unreadable definition (" + firstLine(e) + ")");
    }
  }

  /** The definition as an ordered map with the newer field names, nulls left out. */
  public static Map<String, Object> toMap(ProviderDefinition definition) {
    return DefinitionWriter.toMap(requireNonNull(definition, "definition"));
  }

  /** The definition as indented JSON with the newer field names. */
  public static String toJson(ProviderDefinition definition) {
    return write(Json.MAPPER, definition);
  }

  /** The definition as YAML with the newer field names. */
  public static String toYaml(ProviderDefinition definition) {
    return write(Yaml.MAPPER, definition);
  }

  private static String write(ObjectMapper mapper, ProviderDefinition definition) {
    try {
      return mapper.writeValueAsString(toMap(definition));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks what {@code register}, custom files and plugin jars must satisfy: a filesystem-safe name, a known auth
   * type and a flow that fits it, the sections that flow needs, https endpoints (http only on loopback hosts),
   * anchored {@code regex:} routes, compiling key patterns and valid environment variable names.
   *
   * @param knownFlows ids of installed flows; third-party ids in it are accepted as {@code flow}
   * @return {@code definition}, for chaining
   */
  public static ProviderDefinition validate(ProviderDefinition definition, String origin, Set<String> knownFlows) {
    new DefinitionValidator(requireNonNull(origin, "origin"))
        .validate(requireNonNull(definition, "definition"), requireNonNull(knownFlows, "knownFlows"), false);
    return definition;
  }

  /**
   * The one check of {@link #validate} that depends on the installed flows: the definition's {@code flow} fits its
   * auth type or is an installed third-party flow. For a definition found valid in every other respect (with its own
   * flow taken as installed), this is all that is left to check where the installed flows are known.
   *
   * @throws AuthsomeException with {@link ErrorCode#INVALID_PROVIDER} naming the origin and the flow
   */
  public static ProviderDefinition validateFlow(ProviderDefinition definition, String origin,
      Set<String> knownFlows) {
    new DefinitionValidator(requireNonNull(origin, "origin"))
        .checkFlow(requireNonNull(definition, "definition"), requireNonNull(knownFlows, "knownFlows"));
    return definition;
  }

  /** {@link #validate} plus what the bundled catalogue also requires: a {@code docs_url}. */
  public static ProviderDefinition validateBundled(ProviderDefinition definition, String origin,
      Set<String> knownFlows) {
    new DefinitionValidator(requireNonNull(origin, "origin"))
        .validate(requireNonNull(definition, "definition"), requireNonNull(knownFlows, "knownFlows"), true);
    return definition;
  }

  /** True when {@code name} can be a provider name (and so a file or jar name). */
  public static boolean isValidName(String name) {
    return DefinitionValidator.NAME.matcher(name).matches() && !name.contains("..");
  }

  /**
   * Returns a copy with {@code {base_url}} replaced in every OAuth URL and {@code api_url} entry, using
   * {@code baseUrl} (a {@code --base-url} or stored value) or else the definition's {@code oauth.base_url}. A
   * trailing slash of the base is dropped. The copy's {@code oauth.base_url} is the base used.
   *
   * @throws AuthsomeException {@link ErrorCode#USAGE} when the base URL is not https (or http on loopback), or when
   *     the definition needs a base URL and none is known
   */
  public static ProviderDefinition resolve(ProviderDefinition definition, @Nullable String baseUrl) {
    requireNonNull(definition, "definition");
    OAuthConfig o = definition.oauth();
    String base = baseUrl != null && !baseUrl.isBlank() ? baseUrl.trim() : o == null ? null : o.baseUrl();
    if (base == null) {
      if (usesBaseUrl(definition)) {
        throw AuthsomeException.usage("Provider '" + definition.name()
            + "' needs a base URL (its endpoints contain {base_url}); pass --base-url https://...");
      }
      return definition;
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String problem = DefinitionValidator.urlProblem(base);
    if (problem != null || base.contains(DefinitionValidator.BASE_URL_PLACEHOLDER)) {
      throw AuthsomeException.usage("The base URL for '" + definition.name() + "' "
          + (problem == null ? "cannot contain {base_url}" : problem) + " (got '" + base + "'); pass --base-url "
          + "with an https URL.");
    }
    String b = base;
    OAuthConfig resolvedOAuth = o == null ? null : o.toBuilder()
        .authorizationUrl(sub(o.authorizationUrl(), b))
        .tokenUrl(sub(o.tokenUrl(), b))
        .revocationUrl(sub(o.revocationUrl(), b))
        .deviceAuthorizationUrl(sub(o.deviceAuthorizationUrl(), b))
        .registrationEndpoint(sub(o.registrationEndpoint(), b))
        .userinfoUrl(sub(o.userinfoUrl(), b))
        .issuer(sub(o.issuer(), b))
        .baseUrl(b)
        .build();
    List<String> apiUrls = new ArrayList<>();
    for (String url : definition.apiUrls()) {
      apiUrls.add(sub(url, b));
    }
    return definition.toBuilder().oauth(resolvedOAuth).apiUrls(apiUrls).build();
  }

  /** True when any endpoint or route of the definition contains {@code {base_url}}. */
  public static boolean usesBaseUrl(ProviderDefinition definition) {
    List<@Nullable String> values = new ArrayList<>(definition.apiUrls());
    OAuthConfig o = definition.oauth();
    if (o != null) {
      values.addAll(java.util.Arrays.asList(o.authorizationUrl(), o.tokenUrl(), o.revocationUrl(),
          o.deviceAuthorizationUrl(), o.registrationEndpoint(), o.userinfoUrl(), o.issuer()));
    }
    return values.stream().anyMatch(v -> v != null && v.contains(DefinitionValidator.BASE_URL_PLACEHOLDER));
  }

  /**
   * Environment variable name to credential field: the definition's {@code export}, or when it has none the
   * defaults {@code <NAME>_ACCESS_TOKEN} and {@code <NAME>_REFRESH_TOKEN} (OAuth 2) or {@code <NAME>_API_KEY}, the
   * name upper-cased with every other character than a letter or digit turned into {@code _}.
   */
  public static Map<String, String> effectiveExport(ProviderDefinition definition) {
    if (!definition.export().isEmpty()) {
      return definition.export();
    }
    String prefix = definition.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    Map<String, String> defaults = new LinkedHashMap<>();
    if (definition.authType() == AuthType.OAUTH2) {
      defaults.put(prefix + "_ACCESS_TOKEN", "access_token");
      defaults.put(prefix + "_REFRESH_TOKEN", "refresh_token");
    } else {
      defaults.put(prefix + "_API_KEY", "api_key");
    }
    return defaults;
  }

  private static @Nullable String sub(@Nullable String value, String base) {
    return value == null ? null : value.replace(DefinitionValidator.BASE_URL_PLACEHOLDER, base);
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = message.lines().findFirst().orElse("").trim();
    return line.length() > 160 ? line.substring(0, 157) + "..." : line;
  }

  private static ObjectMapper yamlMapper() {
    LoaderOptions loader = new LoaderOptions();
    loader.setMaxAliasesForCollections(MAX_ALIASES);
    loader.setAllowRecursiveKeys(false);
    loader.setNestingDepthLimit(MAX_NESTING);
    loader.setCodePointLimit(MAX_DOCUMENT_BYTES);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory factory = YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(constraints())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .stringQuotingChecker(new SafeQuoting())
        .build();
    return new YAMLMapper(factory);
  }

  /** Built on first use: listing providers from an index needs neither parser, and loading YAML costs startup. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = yamlMapper();
  }

  private static final class Json {
    static final ObjectMapper MAPPER = jsonMapper();
  }

  /**
   * Jackson's minimal quoting leaves some values plain that YAML then reads differently (a trailing U+0085 is read
   * as a line break): quote anything that is not plain printable ASCII without surrounding spaces.
   */
  private static final class SafeQuoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || !plain(value);
    }

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || !plain(name);
    }

    private static boolean plain(String value) {
      if (value.isEmpty() || value.strip().length() != value.length()) {
        return false;
      }
      return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
  }

  private static ObjectMapper jsonMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(constraints())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    factory.enable(JsonParser.Feature.ALLOW_COMMENTS);
    return new ObjectMapper(factory).enable(SerializationFeature.INDENT_OUTPUT);
  }

  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING)
        .maxDocumentLength(MAX_DOCUMENT_BYTES)
        .maxStringLength(MAX_DOCUMENT_BYTES)
        .build();
  }
}
