#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "CNetDNSShim.h"

int netdns_isatty(int fd) { return isatty(fd); }

int netdns_set_pipe_size(int fd, int size) {
#ifdef F_SETPIPE_SZ
    return fcntl(fd, F_SETPIPE_SZ, size);
#else
    (void)fd; (void)size; return -1;
#endif
}
