/*
 * jipvs-client: hands one command line to a resident `jipvs daemon`, so that a command costs a
 * connect and a few system calls instead of a JVM start. Started by the jipvs launcher as
 *
 *     jipvs-client LAUNCHER ARG...        (the program name comes in $JIPVS_PROGRAM)
 *
 * It tries the daemon only where one can be: /run/jipvs/daemon-COOKIE.sock, COOKIE being its own
 * network namespace's SO_NETNS_COOKIE, or in PID 1's namespace /run/jipvs/daemon.sock (systemd's
 * jipvs.socket), in a root-owned directory nobody else may write to. It
 * sends nothing before it has checked the process listening there: root in its own user
 * namespace with CAP_NET_ADMIN in effect (uid 0 alone does not do: a root process without
 * capabilities could listen there too). Then it passes its stdin, stdout and stderr and a
 * NETLINK_GENERIC socket it opened itself (SCM_RIGHTS): the daemon runs the command's IPVS traffic
 * over that socket, so the kernel grants it exactly what this process could do. With --netns the
 * socket is opened in that namespace, with this process's own right to enter it.
 *
 * On any doubt, and whenever the daemon declines or does not answer within a few seconds
 * ($JIPVS_DAEMON_WAIT_MS, default 3000), it runs LAUNCHER again with JIPVS_DAEMON=off, i.e. the
 * ordinary JVM path.
 *
 * The wire format is documented once, in io.jipvs.cli.daemon.Wire (Java); this file follows it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SOCKET_DIR "/run/jipvs"
#define MAGIC "JPV2"
#define MAX_PAYLOAD (256u << 10)
#define MAX_ARGS 4096
/* From the connect to the daemon's 'A': how long a busy daemon may keep a command waiting, unless
 * $JIPVS_DAEMON_WAIT_MS says otherwise (a slow or emulated machine). */
#define EXCHANGE_MS 3000
#define EXCHANGE_MS_MAX 600000
#define NETLINK_GENERIC_PROTOCOL 16
#define CAP_NET_ADMIN_BIT 12
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

static char *launcher;

/* The JVM path: the launcher again, told not to come back here. */
static void fallback(char **args) {
    setenv("JIPVS_DAEMON", "off", 1);
    execv(launcher, args - 1);
    fprintf(stderr, "%s: cannot run %s: %s\n", getenv("JIPVS_PROGRAM") ? getenv("JIPVS_PROGRAM") : "jipvs",
            launcher, strerror(errno));
    exit(2);
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for EVENTS on S until DEADLINE (now_ms); 0 when they came, -1 when time is up or poll fails. */
static int await(int s, short events, long long deadline) {
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            return -1;
        }
        struct pollfd p = {.fd = s, .events = events};
        int n = poll(&p, 1, (int) left);
        if (n > 0) {
            return 0;
        }
        if (n < 0 && errno != EINTR) {
            return -1;
        }
    }
}

/* Whether this process is in PID 1's network namespace: the one systemd's units run in. */
static int in_init_netns(void) {
    struct stat self, init;
    return stat("/proc/self/ns/net", &self) == 0 && stat("/proc/1/ns/net", &init) == 0 && self.st_dev == init.st_dev
           && self.st_ino == init.st_ino;
}

/* This namespace's socket, daemon-COOKIE.sock, which a jipvs daemon or serve binds; -1 when the
 * kernel cannot name the namespace. */
static int socket_path(char *path, size_t size) {
    uint64_t cookie;
    socklen_t len = sizeof cookie;
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return -1;
    }
    int r = getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len);
    close(s);
    if (r != 0 || len != sizeof cookie) {
        return -1;
    }
    int n = snprintf(path, size, "%s/daemon-%llu.sock", SOCKET_DIR, (unsigned long long) cookie);
    return n > 0 && (size_t) n < size ? 0 : -1;
}

/* lstat: of type TYPE (S_IFDIR, S_IFSOCK), owned by root, writable by nobody else, not a link. */
static int root_only(const char *path, mode_t type) {
    struct stat st;
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == type && st.st_uid == 0 && (st.st_mode & 022) == 0;
}

/* Whether CapEff in the /proc status file PATH has CAP_NET_ADMIN; -1 when the file is gone. */
static int net_admin(const char *path) {
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        return errno == ENOENT || errno == ESRCH ? -1 : 0;
    }
    char line[256];
    int found = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "CapEff:", 7) == 0) {
            unsigned long long bits = strtoull(line + 7, NULL, 16);
            found = (int) (bits >> CAP_NET_ADMIN_BIT & 1);
            break;
        }
    }
    fclose(f);
    return found;
}

/*
 * Whether the process PID may be trusted with our descriptors: in our user namespace, with
 * CAP_NET_ADMIN in effect in every one of its threads.
 */
static int trusted_process(pid_t pid) {
    char path[64], mine[64], theirs[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int) pid);
    ssize_t a = readlink("/proc/self/ns/user", mine, sizeof mine - 1);
    ssize_t b = readlink(path, theirs, sizeof theirs - 1);
    if (a <= 0 || b != a || memcmp(mine, theirs, (size_t) a) != 0) {
        return 0;
    }
    snprintf(path, sizeof path, "/proc/%d/task", (int) pid);
    DIR *tasks = opendir(path);
    if (tasks == NULL) {
        return 0;
    }
    int threads = 0, ok = 1;
    struct dirent *e;
    while (ok && (e = readdir(tasks)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char status[PATH_MAX];
        snprintf(status, sizeof status, "/proc/%d/task/%.20s/status", (int) pid, e->d_name);
        int r = net_admin(status);
        if (r == 0) {
            ok = 0;
        } else if (r > 0) {
            threads++;
        }
    }
    closedir(tasks);
    return ok && threads > 0;
}

/*
 * The listening process, before it gets a byte: root, in our user namespace, with CAP_NET_ADMIN.
 * With SO_PEERPIDFD (Linux 6.5+) it is held by a pidfd while /proc is read and must still be
 * alive afterwards, so that its PID was not taken over meanwhile.
 */
static int trusted_peer(int s) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred || cred.uid != 0
        || cred.pid <= 0) {
        return 0;
    }
    int pidfd = -1;
    len = sizeof pidfd;
    if (getsockopt(s, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) != 0) {
        if (errno != ENOPROTOOPT) {
            return 0;
        }
        pidfd = -1;
    }
    int ok = trusted_process(cred.pid);
    if (pidfd >= 0) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        if (poll(&p, 1, 0) != 0) {
            ok = 0; /* exited (or poll failed): the PID may be another process's now */
        }
        close(pidfd);
    }
    return ok;
}

/* The --netns value, as io.jipvs.cli.Jipvs.netns reads it: the first one, before any "--". */
static const char *netns_value(char **args) {
    for (char **a = args; *a; a++) {
        if (strcmp(*a, "--") == 0) {
            return NULL;
        }
        if (strcmp(*a, "--netns") == 0) {
            return a[1];
        }
        if (strncmp(*a, "--netns=", 8) == 0) {
            return *a + 8;
        }
    }
    return NULL;
}

/*
 * Our own generic-netlink socket, in the namespace of --netns when the line has one (a bare NAME
 * is /run/netns/NAME): entered with this process's own privilege, and left again at once.
 * -1 when that fails; the JVM path then reports why.
 */
static int open_netlink(char **args, const char *program) {
    const char *value = netns_value(args);
    if (value == NULL) {
        return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC_PROTOCOL);
    }
    char path[PATH_MAX];
    int n = strchr(value, '/') ? snprintf(path, sizeof path, "%s", value)
                               : snprintf(path, sizeof path, "/run/netns/%s", value);
    if (n < 0 || (size_t) n >= sizeof path) {
        return -1;
    }
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0) {
        return -1;
    }
    int target = open(path, O_RDONLY | O_CLOEXEC);
    if (target < 0 || setns(target, CLONE_NEWNET) != 0) {
        if (target >= 0) {
            close(target);
        }
        close(self);
        return -1;
    }
    close(target);
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC_PROTOCOL);
    if (setns(self, CLONE_NEWNET) != 0) {
        /* Neither path is safe from the wrong namespace. */
        fprintf(stderr, "%s: cannot return to its own network namespace: %s\n", program, strerror(errno));
        exit(2);
    }
    close(self);
    return nl;
}

/* $JIPVS_DAEMON_WAIT_MS when it is a whole number from 1 to EXCHANGE_MS_MAX, else EXCHANGE_MS. */
static long long exchange_ms(void) {
    const char *v = getenv("JIPVS_DAEMON_WAIT_MS");
    if (v == NULL || *v == '\0') {
        return EXCHANGE_MS;
    }
    char *end;
    errno = 0;
    long long ms = strtoll(v, &end, 10);
    return errno != 0 || *end != '\0' || ms < 1 || ms > EXCHANGE_MS_MAX ? EXCHANGE_MS : ms;
}

/* Sends all of P by DEADLINE (the socket is non-blocking). */
static int send_all(int s, const char *p, size_t n, long long deadline) {
    while (n > 0) {
        ssize_t w = send(s, p, n, MSG_NOSIGNAL); /* a daemon gone mid-request is an error, not SIGPIPE */
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && errno == EAGAIN) {
            if (await(s, POLLOUT, deadline) != 0) {
                return -1;
            }
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/* Reads N bytes into P; DEADLINE 0: wait as long as it takes. */
static int read_all(int s, unsigned char *p, size_t n, long long deadline) {
    while (n > 0) {
        if (deadline != 0 && await(s, POLLIN, deadline) != 0) {
            return -1;
        }
        ssize_t r = recv(s, p, n, deadline != 0 ? MSG_DONTWAIT : 0);
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        p += r;
        n -= (size_t) r;
    }
    return 0;
}

/* A non-blocking connection to the root-only socket PATH whose listener is trusted, or -1.
 * (Non-blocking: a full backlog answers EAGAIN at once instead of keeping us waiting.) */
static int connect_daemon(const char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path || !root_only(path, S_IFSOCK)) {
        return -1;
    }
    strcpy(addr.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) {
        return -1;
    }
    if (connect(s, (struct sockaddr *) &addr, sizeof addr) != 0 || !trusted_peer(s)) {
        close(s);
        return -1;
    }
    return s;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: jipvs-client LAUNCHER [ARG...]\n");
        return 2;
    }
    launcher = argv[1];
    char **args = argv + 2;
    const char *program = getenv("JIPVS_PROGRAM") ? getenv("JIPVS_PROGRAM") : "jipvs";
    /* A closed standard descriptor cannot be passed; the JVM path knows what to do then. */
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) < 0) {
            fallback(args);
        }
    }
    size_t n = strlen(program) + 1;
    int count = 0;
    for (char **a = args; *a; a++) {
        n += strlen(*a) + 1;
        count++;
    }
    if (n > MAX_PAYLOAD || count > MAX_ARGS) {
        fallback(args);
    }
    /* Only where a root-only daemon socket exists: never an abstract name anyone may take. */
    /* This namespace's daemon (a jipvs daemon or serve), else, in PID 1's namespace, the socket
     * jipvs.socket has systemd listen on (a unit cannot know the cookie); a daemon-COOKIE.sock
     * left by a daemon that died does not hide it. The daemon checks the namespace again, on
     * the netlink socket passed to it. */
    char path[sizeof ((struct sockaddr_un *) 0)->sun_path];
    const char *systemd_path = SOCKET_DIR "/daemon.sock";
    if (socket_path(path, sizeof path) != 0 || !root_only(SOCKET_DIR, S_IFDIR)) {
        fallback(args);
    }
    int init_netns = in_init_netns();
    if (!root_only(path, S_IFSOCK) && !(init_netns && root_only(systemd_path, S_IFSOCK))) {
        fallback(args); /* no daemon here: nothing more to open */
    }
    int nl = open_netlink(args, program);
    if (nl < 0) {
        fallback(args);
    }
    long long wait_ms = exchange_ms();
    long long deadline = now_ms() + wait_ms;
    int s = connect_daemon(path);
    if (s < 0 && init_netns) {
        s = connect_daemon(systemd_path);
    }
    if (s < 0) {
        fallback(args);
    }

    char *msg = malloc(8 + n);
    if (msg == NULL) {
        fallback(args);
    }
    memcpy(msg, MAGIC, 4);
    msg[4] = (char) (n >> 24);
    msg[5] = (char) (n >> 16);
    msg[6] = (char) (n >> 8);
    msg[7] = (char) n;
    char *p = msg + 8;
    p = stpcpy(p, program) + 1;
    for (char **a = args; *a; a++) {
        p = stpcpy(p, *a) + 1;
    }

    /* The header carries the four descriptors; the rest of the request follows as plain bytes. */
    int fds[4] = {0, 1, 2, nl};
    union {
        char buf[CMSG_SPACE(sizeof fds)];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = msg, .iov_len = 8};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(cm), fds, sizeof fds);
    ssize_t sent;
    for (;;) {
        sent = sendmsg(s, &mh, MSG_NOSIGNAL);
        if (sent < 0 && errno == EAGAIN && await(s, POLLOUT, deadline) == 0) {
            continue;
        }
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        break;
    }
    if (sent < 0 || send_all(s, msg + sent, 8 + n - (size_t) sent, deadline) < 0) {
        fallback(args);
    }
    free(msg);

    /* Declined, or accepted within the time: only then is the command run, once we say go. */
    unsigned char reply[5];
    if (read_all(s, reply, 1, deadline) < 0 || reply[0] == 'F') {
        fallback(args);
    }
    if (reply[0] != 'A' || send_all(s, "G", 1, deadline + wait_ms) < 0) {
        fallback(args); /* no 'G' arrived: the daemon runs nothing */
    }
    close(nl);
    /* The command may take as long as it takes (a -R of a large input): block from here on. */
    if (fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK) != 0 || read_all(s, reply, 5, 0) < 0 || reply[0] != 'S') {
        fprintf(stderr, "%s: the jipvs daemon closed the connection before answering\n", program);
        return 2;
    }
    return (int) ((uint32_t) reply[1] << 24 | (uint32_t) reply[2] << 16 | (uint32_t) reply[3] << 8 | reply[4]);
}
