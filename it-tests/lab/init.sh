#!/bin/busybox sh
# PID 1 of the kernel lab. Loads the modules (the host root has none for this kernel), mounts
# the host root read-only and the results share writable, runs the command written by lab.sh in
# a chroot of the host root, records its exit status on the share and powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

mode=run
for word in $(cat /proc/cmdline); do
  case $word in
    jipvs.mode=*) mode=${word#jipvs.mode=} ;;
  esac
done

grep -v '^#' /modules.load | while read -r m; do
  [ -n "$m" ] && { modprobe "$m" 2>/dev/null || echo "lab: cannot load module $m"; }
done

fail() { echo "lab: $*"; poweroff -f; }
# The results share names its own host path (lab.sh writes it), where the command expects it.
mkdir -p /results
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 results /results || fail "cannot mount the results share"
results=$(cat /results/.lab/path) || fail "the results share has no .lab/path"
# The guest's root: the host's root (9p, read-only) under a tmpfs overlay, so the guest can write
# anywhere (/tmp, /run, /etc/docker, ...) while the host's files, including a checkout under the
# host's /tmp, stay visible and untouched. cache=loose: without a page cache every page the JVM
# maps would cross 9p again on each access.
mkdir -p /lower /rw
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=524288 hostroot /lower || fail "cannot mount the host root"
mount -t tmpfs -o mode=755 tmpfs /rw
mkdir -p /rw/upper /rw/work
R=/newroot
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay $R || fail "cannot mount the overlay root"
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup
# Last, so nothing mounted later can hide it: the one share that carries results back.
mkdir -p "$R$results"
mount -o bind /results "$R$results" || fail "cannot mount the results share at $results"
ip link set lo up                    # without it the kernel rejects real servers (no local routes)

status=125
if [ "$mode" = shell ]; then
  setsid cttyhack chroot $R /bin/sh "$results/.lab/command.sh"
  status=$?
else
  chroot $R /bin/sh "$results/.lab/command.sh" </dev/null
  status=$?
fi
echo "$status" > "$R$results/.lab/exit"
sync
poweroff -f
