/*
 * jipvs-client: hands one command line to a resident `jipvs daemon`, so that a command costs a
 * connect and a few system calls instead of a JVM start. Started by the jipvs launcher as
 *
 *     jipvs-client LAUNCHER ARG...        (the program name comes in $JIPVS_PROGRAM)
 *
 * It passes its own stdin, stdout and stderr to the daemon (SCM_RIGHTS), so the daemon reads and
 * writes them directly and the output bytes are exactly the JVM path's. The daemon listens on the
 * abstract Unix socket "@jipvs", which exists per network namespace: a client in another namespace
 * finds no daemon, and one not run by root is ignored. Whenever there is no daemon, or it declines
 * the command line, the client runs
 * LAUNCHER again with JIPVS_DAEMON=off, i.e. the ordinary JVM path.
 *
 * The wire format is documented once, in io.jipvs.cli.daemon.Wire (Java); this file follows it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SOCKET_NAME "jipvs"
#define MAGIC "JPV1"
#define MAX_PAYLOAD (4u << 20)

static char *launcher;

/* The JVM path: the launcher again, told not to come back here. */
static void fallback(char **args) {
    setenv("JIPVS_DAEMON", "off", 1);
    execv(launcher, args - 1);
    fprintf(stderr, "%s: cannot run %s: %s\n", getenv("JIPVS_PROGRAM") ? getenv("JIPVS_PROGRAM") : "jipvs",
            launcher, strerror(errno));
    exit(2);
}

static int connect_daemon(void) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    /* Abstract name: a leading NUL, then the name, not NUL-terminated. */
    memcpy(addr.sun_path + 1, SOCKET_NAME, sizeof SOCKET_NAME - 1);
    socklen_t len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + sizeof SOCKET_NAME - 1);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return -1;
    }
    if (connect(s, (struct sockaddr *) &addr, len) < 0) {
        close(s);
        return -1;
    }
    /* Anyone may bind an abstract name: hand our descriptors only to a root process. */
    struct ucred cred;
    socklen_t cl = sizeof cred;
    if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 || cl != sizeof cred || cred.uid != 0) {
        close(s);
        return -1;
    }
    return s;
}

static int write_all(int s, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(s, p, n, MSG_NOSIGNAL); /* a daemon gone mid-request is an error, not SIGPIPE */
        if (w < 0 && errno == EINTR) {
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

static int read_all(int s, unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t r = read(s, p, n);
        if (r < 0 && errno == EINTR) {
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
    int s = connect_daemon();
    if (s < 0) {
        fallback(args);
    }

    size_t n = strlen(program) + 1;
    for (char **a = args; *a; a++) {
        n += strlen(*a) + 1;
    }
    if (n > MAX_PAYLOAD) {
        close(s);
        fallback(args);
    }
    char *msg = malloc(8 + n);
    if (msg == NULL) {
        close(s);
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

    /* The header carries the three descriptors; the rest of the request follows as plain bytes. */
    int fds[3] = {0, 1, 2};
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
    do {
        sent = sendmsg(s, &mh, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) {
        close(s);
        fallback(args);
    }
    if (write_all(s, msg + sent, 8 + n - (size_t) sent) < 0) {
        close(s);
        fallback(args);
    }
    free(msg);

    unsigned char reply[5];
    if (read_all(s, reply, 1) < 0) {
        fprintf(stderr, "%s: the jipvs daemon closed the connection before answering\n", program);
        return 2;
    }
    if (reply[0] == 'F') {
        close(s);
        fallback(args);
    }
    if (reply[0] != 'S' || read_all(s, reply + 1, 4) < 0) {
        fprintf(stderr, "%s: the jipvs daemon closed the connection before answering\n", program);
        return 2;
    }
    return (int) ((uint32_t) reply[1] << 24 | (uint32_t) reply[2] << 16 | (uint32_t) reply[3] << 8 | reply[4]);
}
