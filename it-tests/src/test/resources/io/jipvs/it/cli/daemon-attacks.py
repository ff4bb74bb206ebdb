# The attacks of issue 12 on jipvs's resident daemon, as DaemonTrustIT runs them:
#   python3 daemon-attacks.py MODE ARG...
# Each mode prints what it saw, one fact a line, flushed, so the test can read it as it goes.
import array
import os
import select
import socket
import struct
import subprocess
import sys
import time

ABSTRACT = "\0jipvs"


def say(*words):
    print(*words, flush=True)


def cookie():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    return int.from_bytes(s.getsockopt(socket.SOL_SOCKET, 71, 8), sys.byteorder)


def listener(address, backlog):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if not address.startswith("\0"):
        os.makedirs(os.path.dirname(address), mode=0o700, exist_ok=True)
        if os.path.lexists(address):
            os.unlink(address)
    s.bind(address)
    s.listen(backlog)
    return s


def daemon_path(path):
    """'auto': the daemon's socket of this network namespace."""
    return "/run/jipvs/daemon-%d.sock" % cookie() if path == "auto" else path


def squat(path):
    """A listener on the daemon's path and on the old abstract name that records what it gets."""
    servers = [listener(daemon_path(path), 8), listener(ABSTRACT, 8)]
    say("ready")
    while True:
        readable, _, _ = select.select(servers, [], [])
        for server in readable:
            conn, _ = server.accept()
            conn.settimeout(3)
            got, fds = 0, 0
            try:
                while True:
                    data, ancillary, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
                    for level, kind, payload in ancillary:
                        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                            fds += len(payload) // 4
                    if not data:
                        break
                    got += len(data)
            except OSError:
                pass
            say("connection", "path" if server is servers[0] else "abstract", "bytes=%d" % got, "fds=%d" % fds)
            conn.close()


def fill(address):
    """Connections nobody accepts, until connect would block: the backlog is full."""
    held = []
    while True:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(address)
        except BlockingIOError:
            return held
        held.append(c)


def hold(path):
    """Listeners that never accept, with full backlogs, wherever this process may create one."""
    keep = []
    for address in [daemon_path(path), ABSTRACT, "/tmp/jipvs", "/tmp/jipvs.sock"]:
        try:
            keep.append(listener(address, 0))
            keep.extend(fill(address))
            say("holding", address.replace("\0", "@"))
        except OSError as e:
            say("cannot hold", address.replace("\0", "@"), e.strerror)
    say("ready")
    while True:
        time.sleep(3600)


def netlink_child(fd):
    """Runs without capabilities: opens a NETLINK_GENERIC socket and hands it to the parent."""
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    socket.send_fds(socket.socket(fileno=fd), [b"n"], [nl.fileno()])


def foreign_netlink():
    """A NETLINK_GENERIC socket opened by a process without any capability."""
    parent, child = socket.socketpair()
    subprocess.run(["setpriv", "--inh-caps=-all", "--bounding-set=-all", sys.executable, sys.argv[0],
                    "netlink-child", str(child.fileno())], pass_fds=[child.fileno()], check=True)
    _, fds, _, _ = socket.recv_fds(parent, 16, 1)
    return fds[0]


def request(program, args):
    payload = b"".join(a.encode() + b"\0" for a in [program] + args)
    return b"JPV2" + struct.pack(">I", len(payload)), payload


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def send_header(s, header, netlink_fd):
    s.sendmsg([header], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2, netlink_fd]))])


def until_closed(s):
    """Seconds until the daemon closes the connection, and what it said."""
    start = time.monotonic()
    said = b""
    while True:
        try:
            data = s.recv(16)
        except ConnectionResetError:  # closed with our bytes unread
            data = b""
        if not data:
            return time.monotonic() - start, said
        said += data


def send_foreign(path, program, args):
    """Passes the daemon's checks itself, but hands over a capability-less process's socket."""
    s = connect(path)
    header, payload = request(program, args)
    send_header(s, header, foreign_netlink())
    s.sendall(payload)
    reply = s.recv(1)
    if reply != b"A":
        say("reply", reply)
        sys.exit(100)
    s.sendall(b"G")
    status = b""
    while len(status) < 5:
        data = s.recv(5 - len(status))
        if not data:
            say("closed before the status")
            sys.exit(101)
        status += data
    sys.exit(struct.unpack(">I", status[1:])[0])


def oversized(path, arguments, announced):
    """A request of many empty arguments, or one announcing more bytes than it may."""
    s = connect(path)
    header, payload = request("jipvs", [""] * arguments)
    if announced:
        header = b"JPV2" + struct.pack(">I", announced)
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    send_header(s, header, nl.fileno())
    try:
        s.sendall(payload)
    except OSError as e:
        say("send failed", e.strerror)
    seconds, said = until_closed(s)
    say("closed after %.1f s, said %r" % (seconds, said))


def slow(path):
    """A valid request, one byte a second."""
    s = connect(path)
    header, payload = request("jipvs", ["-Ln"])
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    start = time.monotonic()
    send_header(s, header, nl.fileno())
    for b in payload:
        readable, _, _ = select.select([s], [], [], 1)
        if readable:
            break
        try:
            s.send(bytes([b]))
        except OSError:
            break
    seconds, said = until_closed(s)
    say("closed after %.1f s, said %r" % (time.monotonic() - start, said))


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "cookie":
        say(cookie())
    elif mode == "poke":  # connect and leave: what makes systemd-socket-activate start its command
        connect(rest[0]).close()
    elif mode == "squat":
        squat(rest[0])
    elif mode == "hold":
        hold(rest[0])
    elif mode == "netlink-child":
        netlink_child(int(rest[0]))
    elif mode == "send-foreign":
        send_foreign(rest[0], rest[1], rest[2:])
    elif mode == "oversized":
        oversized(rest[0], int(rest[1]), int(rest[2]))
    elif mode == "slow":
        slow(rest[0])
    else:
        sys.exit("unknown mode " + mode)
