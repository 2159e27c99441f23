// The process's own entry: its argument vector as the C runtime passed it, and standard
// descriptors that were closed when it started.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "CNetDNSShim.h"

static int saved_argc = 0;
static char **saved_argv = 0;

// glibc calls the functions of .init_array with (argc, argv, envp) of main: a copy of the
// argument vector that does not depend on /proc (Swift's CommandLine reads /proc/self/cmdline).
// musl passes no arguments; the vector then stays empty.
#if defined(__GLIBC__)
static void netdns_capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 0 && argv) {
        saved_argc = argc;
        saved_argv = argv;
    }
}
__attribute__((section(".init_array"), used)) static void (*netdns_capture_entry)(int, char **, char **) = netdns_capture_arguments;
#endif

int netdns_entry_argument_count(void) { return saved_argc; }

const char *netdns_entry_argument(int i) {
    if (i < 0 || i >= saved_argc || !saved_argv) return 0;
    return saved_argv[i];
}

int netdns_reserve_standard_descriptors(void) {
    int closed = 0;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        closed |= 1 << fd;
        // The lowest free descriptor is `fd` (the lower ones are open by now). An O_PATH
        // descriptor can be neither read nor written (EBADF), so the closed stream stays
        // unusable instead of becoming a file the program opens later.
        int got = open("/", O_PATH | O_CLOEXEC);
        if (got >= 0 && got != fd) {
            dup2(got, fd);
            close(got);
        }
    }
    return closed;
}
