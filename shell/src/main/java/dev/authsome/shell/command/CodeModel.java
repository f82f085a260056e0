package dev.authsome.shell.command;

import dev.authsome.shell.GlobalOptions;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Builds the picocli model of a command in code, for the commands scripts and agents start over and over (the root,
 * {@code get}, {@code export}, {@code list}, {@code whoami}, {@code inspect}, {@code log}, {@code login}, {@code run},
 * {@code logout}, {@code revoke}, {@code remove}).
 *
 * <p>Reading a model from annotations costs picocli reflection over every field, and the JDK one proxy class per
 * annotation type it meets (eight for {@code get}); proxy classes are generated at every start, as no class-data
 * archive or AOT cache can hold them. That was ~40 ms of a ~270 ms {@code get}. The model built here is the same
 * picocli model (options, positionals, help, completion candidates), so the command line, the interactive shell
 * and completion still share one; the other commands keep their annotations.
 */
final class CodeModel {
  private CodeModel() {}

  /** A command whose picocli model is built in code rather than read from annotations. */
  interface Declared {
    /** The model of this command object, with the global options bound to {@code globals}. */
    CommandSpec model(GlobalOptions globals);
  }

  /** The model of {@code command} named {@code name}: its description, {@code -h/--help} and the global options. */
  static CommandSpec command(Base command, GlobalOptions globals, String name, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name(name);
    spec.usageMessage().description(description);
    globals.addTo(spec);
    Binding<Boolean> help = bind(() -> command.help, v -> command.help = v);
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description(Base.HELP).type(boolean.class)
        .initialValue(false).getter(help).setter(help).build());
    return spec;
  }

  /** An option that takes a value: {@code --name=LABEL}. */
  static <V> OptionSpec option(String name, String label, String description, Class<V> type, Supplier<V> get,
      Consumer<V> set) {
    Binding<V> field = bind(get, set);
    return OptionSpec.builder(name).paramLabel(label).description(description).type(type).getter(field)
        .setter(field).build();
  }

  /** An option that takes no value. */
  static OptionSpec flag(String name, String description, Supplier<Boolean> get, Consumer<Boolean> set) {
    Binding<Boolean> field = bind(get, set);
    return OptionSpec.builder(name).description(description).type(boolean.class).initialValue(false)
        .getter(field).setter(field).build();
  }

  /** A positional parameter at {@code index}; {@code arity} "1" (required) or "0..1" (optional). */
  static <V> PositionalParamSpec positional(String index, String arity, String label, String description,
      Class<V> type, Supplier<V> get, Consumer<V> set) {
    // required as picocli's annotation reader makes it: when the arity asks for at least one value
    Binding<V> field = bind(get, set);
    PositionalParamSpec.Builder b = PositionalParamSpec.builder().index(index).arity(arity).paramLabel(label)
        .required(!arity.startsWith("0")).type(type).getter(field).setter(field);
    if (description != null) {
      b.description(description);
    }
    return b.build();
  }

  /** What the {@code PROVIDER} positional is, wherever a command takes one. */
  static final String PROVIDER_DESCRIPTION = "Provider name (see 'authsome list').";

  /** The required {@code PROVIDER} positional that most commands start with. */
  static PositionalParamSpec provider(Supplier<String> get, Consumer<String> set) {
    return positional("0", "1", "PROVIDER", PROVIDER_DESCRIPTION, String.class, get, set);
  }

  /** {@code --connection=NAME}, for the commands that act on one connection of a provider. */
  static OptionSpec connection(Supplier<String> get, Consumer<String> set) {
    return option("--connection", "NAME", "Connection name (default: the default one).", String.class, get, set);
  }

  /** Reads and writes a command object's field for picocli (picocli's interfaces have generic methods: no lambdas). */
  static <V> Binding<V> bind(Supplier<V> get, Consumer<V> set) {
    return new Binding<>(get, set);
  }

  static final class Binding<V> implements IGetter, ISetter {
    private final Supplier<V> get;
    private final Consumer<V> set;

    Binding(Supplier<V> get, Consumer<V> set) {
      this.get = get;
      this.set = set;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      return (T) get.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
      T previous = (T) get.get();
      set.accept((V) value);
      return previous;
    }
  }
}
