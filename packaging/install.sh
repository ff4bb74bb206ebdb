#!/bin/sh
# The one place that says where jipvs's files go; `make install` and the Debian package use it.
#   install.sh DESTDIR PREFIX [--no-cds]
# PREFIX/sbin/jipvs            the launcher (finds its jars in ../lib/jipvs)
# PREFIX/lib/jipvs/            jars, class path, jffi's native stub, jipvs-client, the CDS archive
# PREFIX/lib/systemd/system/   jipvs.service, jipvs.socket, jipvs-daemon.service, jipvs-rules.service
# PREFIX/share/man/man5, man8  jipvs.yaml(5), jipvs(8) and a page per subcommand
# PREFIX/share/bash-completion/completions/jipvs
# PREFIX/share/doc/jipvs/      README and the reference documents
# /etc/jipvs/jipvs.yaml, /etc/default/jipvs   examples, never written over
# --no-cds: leave the class-data sharing archive to the package's postinst (it records the jars'
# final paths, which under DESTDIR are not yet where they will run).
set -eu
destdir=$1 prefix=$2 cds=yes
[ "${3:-}" = --no-cds ] && cds=no
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cli=$top/cli/target
[ -x "$cli/jipvs" ] || { echo "install.sh: no $cli/jipvs: run make build first" >&2; exit 2; }
[ -f "$here/target/man/jipvs.8" ] || { echo "install.sh: no man pages: run make man first" >&2; exit 2; }
case $prefix in
  *[[:space:]]*) echo "install.sh: PREFIX '$prefix' has a space, which systemd's ExecStart lines cannot carry" >&2; exit 2 ;;
esac
root=$destdir$prefix
lib=$root/lib/jipvs

install -d "$root/sbin" "$lib/native" "$root/lib/systemd/system" "$root/share/man/man5" "$root/share/man/man8" \
  "$root/share/bash-completion/completions" "$root/share/doc/jipvs" "$destdir/etc/jipvs" "$destdir/etc/default"
rm -f "$lib"/*.jar "$lib/jipvs.jsa" "$lib/jipvs-client" "$lib/native"/*
install -m 644 "$cli"/lib/*.jar "$cli/lib/classpath" "$lib/"
for f in "$cli"/lib/native/*; do [ -f "$f" ] && install -m 644 "$f" "$lib/native/"; done
install -m 755 "$cli/jipvs" "$root/sbin/jipvs"
# jipvs-client (the way to a resident daemon) exists when the build had a C compiler.
if [ -x "$cli/lib/jipvs-client" ]; then install -m 755 "$cli/lib/jipvs-client" "$lib/"; fi

for unit in "$here"/systemd/*; do
  sed "s|@sbindir@|$prefix/sbin|g" "$unit" > "$root/lib/systemd/system/${unit##*/}"
  chmod 644 "$root/lib/systemd/system/${unit##*/}"
done
rm -f "$root"/share/man/man8/jipvs*.8.gz "$root/share/man/man5/jipvs.yaml.5.gz"
for page in "$here"/target/man/*.8; do gzip -9n < "$page" > "$root/share/man/man8/${page##*/}.gz"; done
gzip -9n < "$here/target/man/jipvs.yaml.5" > "$root/share/man/man5/jipvs.yaml.5.gz"
chmod 644 "$root"/share/man/man8/jipvs*.8.gz "$root/share/man/man5/jipvs.yaml.5.gz"
install -m 644 "$here/target/completion/jipvs" "$root/share/bash-completion/completions/jipvs"
install -m 644 "$top/README.md" "$top"/docs/*.md "$root/share/doc/jipvs/"

# Examples: an existing file is the operator's and stays as it is.
[ -e "$destdir/etc/jipvs/jipvs.yaml" ] || install -m 644 "$here/etc/jipvs.yaml" "$destdir/etc/jipvs/jipvs.yaml"
[ -e "$destdir/etc/default/jipvs" ] || install -m 644 "$here/etc/default.jipvs" "$destdir/etc/default/jipvs"

if [ $cds = yes ]; then
  # The class-data sharing archive records jar paths, so it is dumped where they now live.
  JIPVS_CDS_DUMP=1 "$root/sbin/jipvs" >/dev/null 2>&1 || true
fi
