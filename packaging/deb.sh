#!/bin/sh
# Builds the Debian package target/jipvs_VERSION_ARCH.deb with dpkg-deb from what make build made:
# the files where install.sh puts them under /usr, the man pages rendered (man.sh), maintainer
# scripts that enable and start nothing.
#   deb.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
version_file=$top/cli/target/classes/io/jipvs/cli/version.txt
[ -f "$version_file" ] || { echo "deb.sh: no $version_file: run make build first" >&2; exit 2; }
# Debian orders 0.1.0~snapshot before 0.1.0, as Maven orders 0.1.0-SNAPSHOT.
version=$(sed 's/-SNAPSHOT$/~snapshot/' "$version_file")
arch=$(dpkg --print-architecture)
sh "$here/man.sh"

stage=$here/target/deb
rm -rf "$stage"
sh "$here/install.sh" "$stage" /usr --no-cds
install -d "$stage/DEBIAN"
install -m 644 "$top/LICENSE" "$stage/usr/share/doc/jipvs/copyright"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: jipvs
Version: $version
Architecture: $arch
Maintainer: jipvs developers <jipvs@localhost>
Installed-Size: $size
Depends: java17-runtime-headless, libc6
Recommends: nftables
Suggests: ipvsadm, keepalived
Section: net
Priority: optional
Description: IPVS load balancer control plane with ipvsadm's command line
 jipvs takes ipvsadm's command line and answers byte for byte as ipvsadm does,
 and adds what today needs keepalived and scripts: desired state from a file
 (apply, diff, export), health checks that keep the table true (serve),
 Prometheus metrics, and the preparation of real servers and directors.
 .
 Nothing is enabled on installation. jipvs.service runs serve on
 /etc/jipvs/jipvs.yaml; jipvs.socket runs every jipvs command in one warm JVM;
 jipvs-rules.service restores /etc/jipvs/rules at boot.
CONTROL
printf '%s\n' /etc/jipvs/jipvs.yaml /etc/default/jipvs > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  # The class-data sharing archive shortens every start; it records the jars' paths, so it is
  # made where they are (without touching the kernel). Without it jipvs only starts slower.
  JIPVS_CDS_DUMP=1 JIPVS_CDS_NO_KERNEL=1 /usr/sbin/jipvs >/dev/null 2>&1 || true
  # systemd learns of the units; none is enabled or started. On an upgrade, what the operator
  # runs moves to the new version (serve adopts its table without a flap).
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
    if [ -n "$2" ]; then systemctl try-restart jipvs.service jipvs-daemon.service >/dev/null 2>&1 || true; fi
  fi
fi
SCRIPT
cat > "$stage/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  # The units go with their program (jipvs-rules saves first if told to); the IPVS table stays.
  systemctl stop jipvs.service jipvs.socket jipvs-daemon.service jipvs-rules.service >/dev/null 2>&1 || true
fi
# Made by postinst, so not in the package's file list.
rm -f /usr/lib/jipvs/jipvs.jsa
SCRIPT
cat > "$stage/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
if [ "$1" = purge ]; then
  # What `systemctl enable` made, which dpkg does not know of.
  for unit in jipvs.service jipvs.socket jipvs-daemon.service jipvs-rules.service; do
    rm -f /etc/systemd/system/*.wants/$unit
  done
  rmdir /etc/jipvs 2>/dev/null || true
fi
SCRIPT
chmod 755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
(cd "$stage" && find usr -type f -exec md5sum {} + | LC_ALL=C sort -k2) > "$stage/DEBIAN/md5sums"
rm -f "$here"/target/jipvs_*.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$here/target/jipvs_${version}_${arch}.deb" >&2
echo "$here/target/jipvs_${version}_${arch}.deb"
