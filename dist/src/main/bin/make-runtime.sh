#!/bin/sh
# Builds DIST/runtime, a jlink image of only the JDK modules authsome uses, plus DIST/lib/authsome.aot, an
# ahead-of-time cache (JEP 483/514) trained on the short commands, when a JDK 25 or newer is found at build time:
# AUTHSOME_RUNTIME_JDK, JAVA_HOME, the JDKs of ~/.m2/toolchains.xml, then the usual install folders. With none (a
# JDK 17 only build) the distribution ships no runtime and the launcher uses Java 17+ from JAVA_HOME/PATH; this
# says so in one line. Never fails the build: a failed step removes what it made and says why.
#
# Usage: make-runtime.sh DIST
dist=$1
rm -rf "$dist/runtime" "$dist/lib/authsome.aot"

# The JDK modules authsome needs, kept explicit (jdeps over lib/ plus what is only found at run time):
#   java.base; java.logging (PF4J, dbus-java, JLine); java.naming, java.security.jgss, java.sql (PostgreSQL JDBC,
#   HikariCP, Jackson's java.sql types); java.management (HikariCP, Netty); java.net.http (OAuth HTTP client);
#   java.xml (dbus-java introspection); jdk.httpserver (the browser form and OAuth callback); jdk.unsupported
#   (sun.misc.Signal, Netty, JLine, Caffeine); jdk.crypto.ec, jdk.crypto.cryptoki (TLS key exchange and the JDK's
#   EC curves); jdk.zipfs (plugin jars); jdk.charsets (non-UTF-8 terminals); jdk.net (socket options of Netty);
#   java.compiler and jdk.security.auth (required, not statically, by the descriptors of error_prone_annotations and
#   dbus-java in lib/: without them the module-path launch, AUTHSOME_LAUNCH=module, cannot resolve its boot layer;
#   `jar --describe-module` over lib/ lists every such requirement).
# Left out on purpose: jdk.localedata (~30 MB; authsome prints in English and ISO dates), java.desktop (Jackson only
# probes it), java.instrument (the proxy agent runs in the child JVM, not here).
modules=java.base,java.logging,java.naming,java.security.jgss,java.sql,java.management,java.net.http,java.xml
modules=$modules,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.charsets
modules=$modules,jdk.net,java.compiler,jdk.security.auth

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

# Train the cache on the short commands in a throw-away home, with the launcher's own JVM options and class path (a
# cache is used only when they match). The key is a fake; the home is deleted afterwards.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
key=sk-training000000000000000000000000000000000000000
AUTHSOME_HOME=$home AUTHSOME_MASTER_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= AUTHSOME_BATCH_INPUT=$key \
  DBUS_SESSION_BUS_ADDRESS= \
  "$dist/runtime/bin/java" -XX:AOTCacheOutput="$dist/lib/authsome.aot" -Xlog:aot=off -Xlog:cds=off \
  -XX:+UseSerialGC -Xss1m -XX:-UsePerfData -XX:TieredStopAtLevel=1 \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dauthsome.app.home="$dist" -cp "$dist/lib/*" dev.authsome.shell.Batch \
  --version ";;" login openai --stdin ";;" list ";;" list --json ";;" get openai --field status ";;" \
  get openai --field api_key --show-secret ";;" export openai --format env ";;" whoami ";;" \
  __complete -- get o ";;" --help >/dev/null 2>&1
if [ ! -s "$dist/lib/authsome.aot" ]; then
  rm -f "$dist/lib/authsome.aot"
  echo "authsome: bundled runtime of $jdk (Java $best) built in runtime/, but its AOT cache could not be trained"
  exit 0
fi
echo "authsome: bundled runtime of $jdk (Java $best) in runtime/ with an AOT cache trained on the short commands"
exit 0
