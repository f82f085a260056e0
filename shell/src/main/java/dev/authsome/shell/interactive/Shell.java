package dev.authsome.shell.interactive;

import dev.authsome.core.Authsome;
import dev.authsome.shell.InputCollectors;
import dev.authsome.shell.Session;
import dev.authsome.shell.SystemTerminal;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jspecify.annotations.Nullable;

/**
 * The {@code authsome>} shell: reads lines with JLine (editing, Tab completion, history with Ctrl-R) and runs each
 * through the same picocli command model as the command line. Commands run on a worker thread so that Ctrl-C
 * cancels the command, not the shell; secrets asked for are read masked through this terminal and kept out of the
 * history file.
 */
public final class Shell {
  static final String PROMPT = "authsome> ";
  /** What {@link #run} returns when standard input or output is not a terminal after all. */
  public static final int NOT_A_TERMINAL = -1;

  private final Terminal terminal;
  private final Session session;
  private final LineReader reader;
  private final GuardedHistory history;
  private final PrintStream screen;
  private final boolean plain;
  private @Nullable LineReader secrets;

  private Shell(Terminal terminal, Session.Config config) {
    this.terminal = terminal;
    this.plain = config.env().get("NO_COLOR") != null;
    // Commands write through the terminal's stream; closing the session must not close the real stdout.
    this.screen = new PrintStream(new KeepOpen(terminal.output()), true, StandardCharsets.UTF_8);
    this.session = Session.open(new Session.Config(config.in(), screen, screen, config.env(), config.plugins()));
    session.width(terminal::getWidth);
    // the command names (and aliases) as the parser knows them, plus the shell's own words
    // (static, so the guard does not wait for the command model, which the session builds on a second thread)
    java.util.Set<String> commands = new java.util.HashSet<>(dev.authsome.shell.command.RootCommand.commandNames());
    commands.add("help");
    commands.addAll(List.of("exit", "quit", "help"));
    SecretGuard guard = new SecretGuard(commands);
    this.history = new GuardedHistory(guard);
    Path historyFile = prepareHistoryFile(Authsome.Builder.defaultHome(config.env()));
    Completions completions = new Completions(session::spec, session::app);
    LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("authsome")
        .completer(new ShellCompleter(completions))
        .parser(new DefaultParser())
        .history(history)
        .variable(LineReader.HISTORY_SIZE, 1000)
        .variable(LineReader.HISTORY_FILE_SIZE, 1000)
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
        .option(LineReader.Option.AUTO_MENU_LIST, true)
        .option(LineReader.Option.INSERT_TAB, false)
        // a command that ended mid-line (a countdown cut short) must not leave the prompt after its text
        .option(LineReader.Option.AUTO_FRESH_LINE, true);
    if (historyFile != null) {
      builder.variable(LineReader.HISTORY_FILE, historyFile);
    }
    this.reader = builder.build();
    session.onNewApp(app -> {
      app.promptWith(() -> InputCollectors.terminal(session.err(), this::secretsReader));
      // every source a login may read a secret from (stdin, the browser form, the masked prompt) teaches the guard
      app.onSecretCollected(guard::secretSeen);
      // the worker's Ctrl-C handler (see execute) already interrupts the command; nothing else may take SIGINT
      app.sigintWith(target -> () -> { });
    });
  }

  /**
   * Secrets are read by a second reader on the same terminal that keeps no history at all. Built on the first secret
   * prompt, not before the first prompt of the shell: a line reader takes a while to set up, and most sessions never
   * ask for a secret.
   */
  private synchronized LineReader secretsReader() {
    if (secrets == null) {
      secrets = LineReaderBuilder.builder().terminal(terminal).appName("authsome")
          .variable(LineReader.DISABLE_HISTORY, true).build();
    }
    return secrets;
  }

  /**
   * Runs the shell until {@code exit}, {@code quit} or Ctrl-D; returns 0, or {@link #NOT_A_TERMINAL} (nothing
   * read, nothing printed) when no system terminal can be opened. Called by {@code Main} when there are no
   * arguments and standard input looks like a terminal.
   */
  public static int run(Session.Config config) {
    Terminal terminal;
    try {
      // Paused with echo off until the first prompt, so nothing typed early is echoed in cooked mode twice.
      // dumb(false): where standard input or output is not a terminal (a JDK whose System.console() exists even
      // on a pipe), JLine must fail rather than read a pipe as a dumb terminal: authsome never waits on a pipe.
      terminal = SystemTerminal.builder().dumb(false).name("authsome").paused(true).build();
      terminal.echo(false);
      terminal.resume();
    } catch (IOException | IllegalStateException e) {
      return NOT_A_TERMINAL;
    }
    Shell shell = new Shell(terminal, config);
    try {
      return shell.loop();
    } finally {
      shell.close();
    }
  }

  private int loop() {
    terminal.writer().println("authsome " + Authsome.VERSION + " shell: Tab completes, 'help' lists commands, "
        + "'exit' or Ctrl-D leaves.");
    terminal.flush();
    while (true) {
      String line;
      try {
        line = reader.readLine(PROMPT);
      } catch (UserInterruptException e) {
        continue; // Ctrl-C at the prompt drops the line, as in bash
      } catch (EndOfFileException e) {
        return 0;
      } catch (java.io.IOError e) {
        return 0; // the terminal went away (window closed, connection dropped): leave as on Ctrl-D, history saved
      }
      List<String> words = new ArrayList<>(reader.getParsedLine().words());
      words.removeIf(String::isEmpty);
      if (words.isEmpty()) {
        continue;
      }
      String first = words.get(0).toLowerCase(Locale.ROOT);
      if (words.size() == 1 && (first.equals("exit") || first.equals("quit"))) {
        return 0;
      }
      int code = execute(words);
      if (code != 0) {
        String marker = "(exit " + code + ")";
        terminal.writer().println(plain ? marker
            : new AttributedString(marker, AttributedStyle.DEFAULT.faint()).toAnsi(terminal));
        terminal.flush();
      }
    }
  }

  /**
   * Runs one line on a worker thread. The first Ctrl-C interrupts it (a login unwinds as "cancelled", exit 8); a
   * second one gives up waiting and returns to the prompt, leaving the stuck command to finish on its own.
   */
  private int execute(List<String> words) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread worker = new Thread(() -> {
      try {
        result.complete(session.execute(words));
      } catch (Throwable t) {
        result.complete(1);
      }
    }, "authsome-command");
    worker.setDaemon(true);
    AtomicInteger interrupts = new AtomicInteger();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
      if (interrupts.incrementAndGet() == 1) {
        worker.interrupt();
      } else {
        result.complete(dev.authsome.core.ErrorCode.INPUT_CANCELLED.exitCode());
      }
    });
    try {
      worker.start();
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          worker.interrupt();
        } catch (ExecutionException e) {
          return 1;
        }
      }
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      screen.flush();
    }
  }

  /**
   * Creates the history file with mode 0600 before JLine first appends to it (JLine would create it with the
   * umask's mode). Returns null, and the shell keeps history in memory only, when the home cannot hold it.
   */
  private Path prepareHistoryFile(Path home) {
    Path file = home.resolve("history");
    try {
      if (!Files.isDirectory(home)) {
        Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
            "rwx------")));
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      session.err().println("Warning: history is not saved (" + e.getMessage() + ").");
      return null;
    }
  }

  private void close() {
    try {
      history.save();
    } catch (IOException e) {
      session.err().println("Warning: could not save the history (" + e.getMessage() + ").");
    }
    session.close();
    try {
      terminal.close();
    } catch (IOException e) {
      // restoring the tty is best effort on the way out
    }
    screen.flush();
  }

  /** Flushes instead of closing: the terminal's stream is the process's stdout. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
