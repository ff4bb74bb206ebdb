#!/bin/sh
# Run by Maven (cli, package phase): assembles target/jipvs and target/lib (the cli jar, its
# dependencies, the class path list) and dumps the class-data-sharing archive target/lib/jipvs.jsa.
#   build-launcher.sh TARGET_DIR FINAL_NAME
set -eu
target=$1 name=$2
here=$(cd "$(dirname "$0")" && pwd)
cp "$target/$name.jar" "$target/lib/"
( cd "$target/lib" && ls -1 *.jar | LC_ALL=C sort ) > "$target/lib/classpath"
# jffi's native stub, unpacked once here: otherwise every start extracts it from its jar to a
# temporary file first (falls back to that where this machine's architecture is not packaged).
rm -rf "$target/lib/native"; mkdir -p "$target/lib/native"
(cd "$target/lib/native" && jar xf "$(ls ../jffi-*-native.jar)" "jni/$(uname -m)-Linux/" 2>/dev/null) || true
if [ -d "$target/lib/native/jni/$(uname -m)-Linux" ]; then
  mv "$target/lib/native/jni/$(uname -m)-Linux"/* "$target/lib/native/"
fi
rm -rf "$target/lib/native/jni"
cp "$here/jipvs" "$target/jipvs"
chmod 755 "$target/jipvs"
rm -f "$target/lib/jipvs.jsa"
JIPVS_CDS_DUMP=1 "$target/jipvs" >/dev/null 2>&1 || echo "jipvs: no class-data sharing archive (it only speeds up start-up)" >&2
# jipvs-client, the launcher's way to a resident `jipvs daemon` (src/main/c). Without a C compiler
# the launcher still works, always on the JVM path.
rm -f "$target/lib/jipvs-client"
if ! command -v "${CC:-cc}" >/dev/null 2>&1; then
  echo "jipvs: no C compiler (${CC:-cc}): jipvs-client not built, so commands always start a JVM" >&2
elif ! "${CC:-cc}" -O2 -Wall -Wextra -Werror -o "$target/lib/jipvs-client" "$here/../c/jipvs-client.c"; then
  rm -f "$target/lib/jipvs-client"
  echo "jipvs: jipvs-client did not compile (above), so commands always start a JVM" >&2
fi
