#ifndef CNETDNSSHIM_H
#define CNETDNSSHIM_H
#include <stddef.h>

/// glibc's memmem, declared here because Swift's Glibc module hides it behind _GNU_SOURCE.
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

/// Returns 1 when the file descriptor refers to a terminal.
int netdns_isatty(int fd);

/// Enlarges a pipe's buffer (Linux F_SETPIPE_SZ); returns the new size or -1.
int netdns_set_pipe_size(int fd, int size);

#endif
