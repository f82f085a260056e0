#!/bin/sh
# Writes lib/authsome.jsa, a dynamic class-data sharing archive of the classes a short command loads, so that later
# starts map them instead of loading and verifying them. The archive is only valid for the JVM that wrote it: its
# path and the folder of the jars are recorded beside it, and the launcher uses the archive only with that JVM from
# that folder (elsewhere it writes one of its own, in the user's cache). Failure is harmless (no archive).
dist=$1
java=${JAVA_HOME:+$JAVA_HOME/bin/java}
[ -n "$java" ] || java=$(command -v java) || exit 0
java_real=$(readlink -f "$java" 2>/dev/null || echo "$java")
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
rm -f "$dist/lib/authsome.jsa" "$dist/lib/authsome.jsa.jvm"
# The short commands, in one JVM (dev.authsome.shell.Batch; a JVM writes one archive, at its exit), on lib/ alone
# like the launcher starts them. The key is a fake; the home is deleted afterwards.
AUTHSOME_HOME=$home \
  AUTHSOME_BATCH_INPUT=sk-training000000000000000000000000000000000000000 DBUS_SESSION_BUS_ADDRESS= \
  "$java" -XX:ArchiveClassesAtExit="$dist/lib/authsome.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dauthsome.app.home="$dist" \
  -cp "$dist/lib/*" dev.authsome.shell.Batch --version ";;" login openai --stdin ";;" list ";;" list --json ";;" \
  get openai --field status ";;" get openai --field api_key --show-secret ";;" export openai --format env ";;" \
  whoami ";;" __complete -- get o >/dev/null 2>&1 || true
if [ -s "$dist/lib/authsome.jsa" ]; then
  # the JVM and the folder it holds the jars of (Java 17-24 archives record absolute paths); see the launcher
  printf '%s\n%s\n' "$java_real" "$(cd "$dist/lib" && pwd -P)" > "$dist/lib/authsome.jsa.jvm"
fi
# The interactive shell (and login, run, proxy) start with lib/ext on the class path too: a second archive, written
# by the shell itself in a pseudo-terminal from script(1) with its input typed ahead (see make-runtime.sh).
rm -f "$dist/lib/authsome-full.jsa"
if [ -s "$dist/lib/authsome.jsa" ] && command -v script >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
  {
    printf 'exec "%s" -XX:ArchiveClassesAtExit="%s/lib/authsome-full.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off ' "$java" "$dist"
    printf -- '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 '
    printf -- '-Dauthsome.app.home="%s" -cp "%s/lib/*:%s/lib/ext/*" dev.authsome.shell.Main\n' "$dist" "$dist" "$dist"
  } > "$home/train-shell.sh"
  printf 'list\rexit\r' | AUTHSOME_HOME=$home \
    DBUS_SESSION_BUS_ADDRESS= TERM=xterm-256color timeout 300 script -qfec "sh $home/train-shell.sh" /dev/null \
    >/dev/null 2>&1 || rm -f "$dist/lib/authsome-full.jsa"
fi
exit 0
