#!/bin/sh
# Replaces DIST/lib/picocli-VERSION.jar by the same picocli compiled from its published sources for Java 17.
#
# Why: picocli's jar targets Java 5 (class file version 49), and the JVM's class-data archive and AOT cache (CDS,
# JEP 483) cannot hold classes that old, so every short command loaded and verified ~170 picocli classes from the jar
# at each start (about a third of `authsome --version`). picocli documents including its source in a project; this
# compiles exactly the released source (the -sources.jar of the same version, from Maven Central), unchanged, with a
# module descriptor equal to the released one. Never fails the build: on any error the released jar stays.
#
# Usage: make-picocli.sh DIST SOURCES_DIR VERSION
dist=$1 sources=$2 version=$3
jar=$dist/lib/picocli-$version.jar
[ -f "$jar" ] || { echo "authsome: $jar not found; picocli left as released"; exit 0; }
[ -f "$sources/picocli/CommandLine.java" ] || { echo "authsome: picocli sources not found; picocli left as released"; exit 0; }
javac=javac
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && javac=$JAVA_HOME/bin/javac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/picocli" "$work/classes"
cp "$sources"/picocli/*.java "$work/src/picocli/"
# the descriptor of the released jar (META-INF/versions/9/module-info.class), as source
printf 'module info.picocli {\n  requires static java.sql;\n  exports picocli;\n}\n' > "$work/src/module-info.java"
if ! "$javac" --release 17 -nowarn -Xlint:none -encoding UTF-8 -d "$work/classes" \
    "$work/src/module-info.java" "$work"/src/picocli/*.java > "$work/javac.log" 2>&1; then
  echo "authsome: compiling picocli $version from source failed; picocli left as released:"
  head -5 "$work/javac.log"
  exit 0
fi
(cd "$work/classes" && unzip -q -o "$jar" 'META-INF/MANIFEST.MF' 2>/dev/null; true)
# a plain jar: the released one is a multi-release jar only to carry its module descriptor for Java 9+
sed -i '/^Multi-Release:/d' "$work/classes/META-INF/MANIFEST.MF" 2>/dev/null
jar_tool=jar
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jar" ] && jar_tool=$JAVA_HOME/bin/jar
if [ -f "$work/classes/META-INF/MANIFEST.MF" ]; then
  (cd "$work/classes" && "$jar_tool" --create --file "$work/picocli.jar" --manifest META-INF/MANIFEST.MF \
    module-info.class picocli) || exit 0
else
  (cd "$work/classes" && "$jar_tool" --create --file "$work/picocli.jar" module-info.class picocli) || exit 0
fi
mv "$work/picocli.jar" "$jar"
echo "authsome: picocli $version compiled from its sources for Java 17 (archivable by CDS and the AOT cache)"
