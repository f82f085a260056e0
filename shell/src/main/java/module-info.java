/**
 * The authsome command line: picocli commands over the core engine, the input collectors (--stdin, masked terminal
 * prompt), and the main class {@code dev.authsome.shell.Main}. The only module that writes to stdout and stderr.
 */
module dev.authsome.shell {
  requires static org.jspecify;
  requires dev.authsome.core;
  requires dev.authsome.plugins;
  // the browser form (an input source) and, through it, the OAuth library the flow plugins use from lib/
  requires dev.authsome.oauth;
  // the credential proxy, for `run` and `proxy` only: no other command loads a class of it (or of Netty,
  // BouncyCastle, Conscrypt), which the distribution's class-loading test pins
  requires dev.authsome.proxy;
  // sun.misc.Signal: Ctrl-C during a login interrupts it (exit 8) instead of the JVM's default exit 130; `run`
  // forwards SIGTERM/SIGHUP to its child and outlives a Ctrl-C; `proxy` stops cleanly on them
  requires jdk.unsupported;
  requires info.picocli;
  // the interactive shell and masked prompts: the JLine bundle (automatic module), which carries the JNI provider
  requires org.jline;

  // picocli builds the commands reflectively: it needs deep access to the annotated fields and methods
  opens dev.authsome.shell to info.picocli;
  opens dev.authsome.shell.command to info.picocli;
  opens dev.authsome.shell.interactive to info.picocli;
}
