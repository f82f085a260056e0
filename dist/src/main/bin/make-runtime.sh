#!/bin/sh
# Builds DIST/runtime, a jlink image of only the JDK modules authsome uses, plus four ahead-of-time caches (JEP
# 483/514): DIST/lib/authsome-get.aot, trained on `get` alone, DIST/lib/authsome.aot, trained on the other short
# commands, both with lib/ as the class path, DIST/lib/authsome-full.aot, trained on the interactive shell with lib/ and lib/ext/, and DIST/lib/authsome-proxy.aot,
# trained on `run` (the launcher picks the one that matches the command), when a JDK 25 or newer is found at build
# time:
# AUTHSOME_RUNTIME_JDK, JAVA_HOME, the JDKs of ~/.m2/toolchains.xml, then the usual install folders. With none (a
# JDK 17 only build) the distribution ships no runtime and the launcher uses Java 17+ from JAVA_HOME/PATH; this
# says so in one line. Never fails the build: a failed step removes what it made and says why.
#
# Usage: make-runtime.sh DIST
dist=$1
rm -rf "$dist/runtime" "$dist/lib/authsome.aot" "$dist/lib/authsome-get.aot" "$dist/lib/authsome-full.aot" \
  "$dist/lib/authsome-proxy.aot" "$dist/lib/authsome.aot.options"

# The JDK modules authsome needs, kept explicit (jdeps over lib/ plus what is only found at run time):
#   java.base; java.logging (PF4J, dbus-java, JLine); java.naming, java.security.jgss, java.sql (PostgreSQL JDBC,
#   HikariCP, Jackson's java.sql types); java.management (HikariCP, Netty); java.net.http (OAuth HTTP client);
#   java.xml (dbus-java introspection); jdk.httpserver (the browser form and OAuth callback); jdk.unsupported
#   (sun.misc.Signal, Netty, JLine, Caffeine); jdk.crypto.ec, jdk.crypto.cryptoki (TLS key exchange and the JDK's
#   EC curves); jdk.zipfs (plugin jars); jdk.charsets (non-UTF-8 terminals); jdk.net (socket options of Netty);
#   java.compiler, jdk.security.auth (required by the descriptors of errorprone's annotations and dbus-java, so the
#   module-path launch, AUTHSOME_LAUNCH=module, resolves); java.xml.crypto, java.smartcardio, jdk.security.jgss
#   (the XMLDSig, SunPCSC and JdkSASL security providers that java.security lists: when one is missing, the JDK's
#   lookup of it goes on to every java.security.Provider on the class path and constructs each, and BouncyCastle's
#   two register all their algorithms, ~0.3 s of every `authsome run`).
# Left out on purpose: jdk.localedata (~30 MB; authsome prints in English and ISO dates), java.desktop (Jackson only
# probes it), java.instrument (the proxy agent runs in the child JVM, not here).
modules=java.base,java.logging,java.naming,java.security.jgss,java.sql,java.management,java.net.http,java.xml
modules=$modules,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.charsets
modules=$modules,jdk.net,java.compiler,jdk.security.auth,java.xml.crypto,java.smartcardio,jdk.security.jgss

major_of() { # $1 = JDK home -> major version from its release file (empty when none)
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

candidates() {
  [ -n "${AUTHSOME_RUNTIME_JDK:-}" ] && echo "$AUTHSOME_RUNTIME_JDK"
  [ -n "${JAVA_HOME:-}" ] && echo "$JAVA_HOME"
  if [ -r "$HOME/.m2/toolchains.xml" ]; then
    sed -n 's/.*<jdkHome>\(.*\)<\/jdkHome>.*/\1/p' "$HOME/.m2/toolchains.xml"
  fi
  for d in /usr/lib/jvm/* /opt/* /opt/java/* /usr/local/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && echo "$d"
  done
}

jdk= best=0
for c in $(candidates); do
  m=$(major_of "$c")
  if [ -n "$m" ] && [ "$m" -ge 25 ] 2>/dev/null && [ "$m" -gt "$best" ] && [ -x "$c/bin/jlink" ]; then
    jdk=$c best=$m
  fi
done
if [ -z "$jdk" ]; then
  echo "authsome: no JDK 25+ found (AUTHSOME_RUNTIME_JDK, JAVA_HOME, toolchains, /usr/lib/jvm, /opt): the distribution ships no bundled runtime and runs on Java 17+ from JAVA_HOME or PATH"
  exit 0
fi

# --strip-debug and no man pages/headers: the runtime only runs authsome. No --compress: the tarball is gzipped
# anyway, and classes the AOT cache lacks would be inflated at every start.
if ! "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$dist/runtime" >/dev/null 2>&1; then
  rm -rf "$dist/runtime"
  echo "authsome: jlink of $jdk failed: the distribution ships no bundled runtime"
  exit 0
fi

# JEP 515 records method profiles in the cache and replays them at start, which queues compilations of what was hot in
# the training run. authsome's short commands run on C1 alone, which uses no profiles, so the replay only adds
# compilations that compete with the command for the machine's cores (2 cores, interleaved medians: list 454 -> 366
# ms, get 307 -> 274 ms, the shell's first prompt 531 -> 437 ms). Neither recorded nor replayed, where this JVM knows
# the (diagnostic) flags; the launcher reads them from lib/authsome.aot.options, so a runtime without them still starts.
no_training="-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:-AOTReplayTraining"
if "$dist/runtime/bin/java" $no_training -version >/dev/null 2>&1; then
  printf '%s\n' "$no_training" > "$dist/lib/authsome.aot.options"
else
  no_training=
  : > "$dist/lib/authsome.aot.options"
fi

# Train the caches in a throw-away home, with the launcher's own JVM options and class path (a cache is used only
# when they match). The connection they read is made first, by a JVM that writes no cache: login starts with lib/ext
# and its own cache, and its ~600 classes would only make every short command's start preload more. The key is a
# fake, the master key a key file (the default); the home is deleted afterwards.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
key=sk-training000000000000000000000000000000000000000
short_jvm() { # $1 = cache to write (empty: none), rest = Batch command lines
  if [ -n "$1" ]; then
    cache=$1
    shift
    set -- -XX:AOTCacheOutput="$cache" dev.authsome.shell.Batch "$@"
  else
    shift
    set -- dev.authsome.shell.Batch "$@"
  fi
  AUTHSOME_HOME=$home AUTHSOME_BATCH_INPUT=$key DBUS_SESSION_BUS_ADDRESS= \
    "$dist/runtime/bin/java" $no_training -Xlog:aot=off -Xlog:cds=off \
    -XX:+UseSerialGC -Xss1m -XX:-UsePerfData -XX:TieredStopAtLevel=1 \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dauthsome.app.home="$dist" -cp "$dist/lib/*" "$@" >/dev/null 2>&1
}
short_jvm "" login openai --stdin
# `get` is what agents run over and over: a cache of its own. Each start preloads all of its cache, and one shared with
# `list` and `export` (jackson-databind, the catalogue) is a third larger (measured: get 199 -> 173 ms).
short_jvm "$dist/lib/authsome-get.aot" get openai --field status ";;" get openai --field api_key --show-secret
if [ ! -s "$dist/lib/authsome-get.aot" ]; then
  rm -f "$dist/lib/authsome-get.aot" # the launcher then uses the next one for `get` too
fi
short_jvm "$dist/lib/authsome.aot" --help ";;" list ";;" list --json ";;" get openai --field status ";;" \
  export openai --format env ";;" whoami ";;" inspect openai ";;" log ";;" __complete -- get o ";;" completion bash
if [ ! -s "$dist/lib/authsome.aot" ]; then
  rm -f "$dist/lib/authsome.aot" "$dist/lib/authsome-get.aot"
  echo "authsome: bundled runtime of $jdk (Java $best) built in runtime/, but its AOT cache could not be trained"
  exit 0
fi

# The shell, login and the proxy start with lib/ext on the class path too, which the first cache does not match
# beyond lib/. A second cache is trained on the interactive shell itself (JLine, the whole command model, a listing
# and a connection shown), in a pseudo-terminal from script(1) with its input typed ahead: without it the first
# prompt loads all of that from the jars (measured 1.3 s -> 1.0 s). Not the proxy: its classes would be preloaded
# at every shell start for the few that run it.
full=
if command -v script >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
  {
    printf 'exec "%s/runtime/bin/java" %s -XX:AOTCacheOutput="%s/lib/authsome-full.aot" -Xlog:aot=off -Xlog:cds=off ' "$dist" "$no_training" "$dist"
    printf -- '-XX:+UseSerialGC -Xss1m -XX:-UsePerfData -XX:TieredStopAtLevel=1 '
    printf -- '--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow '
    printf -- '-Dauthsome.app.home="%s" -cp "%s/lib/*:%s/lib/ext/*" dev.authsome.shell.Main\n' "$dist" "$dist" "$dist"
  } > "$home/train-shell.sh"
  printf 'list\rget openai\rexit\r' | AUTHSOME_HOME=$home \
    DBUS_SESSION_BUS_ADDRESS= TERM=xterm-256color timeout 300 script -qfec "sh $home/train-shell.sh" /dev/null \
    >/dev/null 2>&1
  if [ -s "$dist/lib/authsome-full.aot" ]; then
    full=" and one trained on the interactive shell"
  else
    rm -f "$dist/lib/authsome-full.aot"
    full=" (none for the shell: its training did not finish)"
  fi
else
  full=" (none for the shell: script(1) or timeout(1) is not installed to give its training a terminal)"
fi
# `run` and `proxy` start the credential proxy (Netty, Conscrypt, the CA, the TLS contexts) with the full JIT and a
# bounded heap: a third cache, trained on `run -- true` with the launcher's options for them (measured: `run -- true`
# 1.9 s -> 1.3 s with the unsigned BouncyCastle jars). Not in the shell's cache: each start preloads all of a cache.
proxy_cache=
AUTHSOME_HOME=$home DBUS_SESSION_BUS_ADDRESS= \
  "$dist/runtime/bin/java" $no_training -XX:AOTCacheOutput="$dist/lib/authsome-proxy.aot" -Xlog:aot=off -Xlog:cds=off \
  -XX:+UseSerialGC -Xss1m -XX:-UsePerfData -Xms32m -Xmx128m -Dio.netty.leakDetection.level=disabled \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dauthsome.app.home="$dist" -cp "$dist/lib/*:$dist/lib/ext/*" dev.authsome.shell.Main run -- true >/dev/null 2>&1
if [ -s "$dist/lib/authsome-proxy.aot" ]; then
  proxy_cache=", one on the proxy"
else
  rm -f "$dist/lib/authsome-proxy.aot"
fi
echo "authsome: bundled runtime of $jdk (Java $best) in runtime/ with AOT caches trained on get, on the other short commands$full$proxy_cache"
exit 0
