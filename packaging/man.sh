#!/bin/sh
# Renders the man pages to troff with asciidoctor: the AsciiDoc that packaging's Generate wrote
# from the Picocli model (target/man/*.8.adoc) and jipvs.yaml(5) (man/jipvs.yaml.5.adoc), into
# target/man/*.8 and *.5. As root on Debian it installs asciidoctor when missing.
#   man.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/target/man
if ! ls "$out"/jipvs.8.adoc >/dev/null 2>&1; then
  echo "man.sh: $out has no generated pages: run make build first" >&2
  exit 2
fi
if ! command -v asciidoctor >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "man.sh: installing asciidoctor (Debian's package)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends asciidoctor >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends asciidoctor >&2; }
  else
    echo "man.sh: the man pages need asciidoctor: apt-get install asciidoctor (as root)" >&2
    exit 2
  fi
fi
# --failure-level WARN: a page asciidoctor had to guess about is a build error, not a broken page.
asciidoctor --failure-level WARN -b manpage -D "$out" "$out"/*.8.adoc "$here/man/jipvs.yaml.5.adoc"
