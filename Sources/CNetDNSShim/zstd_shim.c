// zstd decompression through the system libzstd, loaded at run time with dlopen, so that the
// build never needs libzstd (or its headers): without the library, netdns_zstd_create returns
// NULL and the caller reports that zstd layers cannot be read.
#include "CNetDNSShim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct { const void *src; size_t size; size_t pos; } zstd_in;
typedef struct { void *dst; size_t size; size_t pos; } zstd_out;

static void *(*p_create)(void);
static size_t (*p_free)(void *);
static size_t (*p_init)(void *);
static size_t (*p_decompress)(void *, zstd_out *, zstd_in *);
static unsigned (*p_is_error)(size_t);
static const char *(*p_error_name)(size_t);
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    // Lets the tests (and users) check the path where libzstd is absent.
    if (getenv("NETDNS_AUDIT_NO_ZSTD")) return;
    void *h = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libzstd.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    p_create = (void *(*)(void))dlsym(h, "ZSTD_createDStream");
    p_free = (size_t (*)(void *))dlsym(h, "ZSTD_freeDStream");
    p_init = (size_t (*)(void *))dlsym(h, "ZSTD_initDStream");
    p_decompress = (size_t (*)(void *, zstd_out *, zstd_in *))dlsym(h, "ZSTD_decompressStream");
    p_is_error = (unsigned (*)(size_t))dlsym(h, "ZSTD_isError");
    p_error_name = (const char *(*)(size_t))dlsym(h, "ZSTD_getErrorName");
    loaded = p_create && p_free && p_init && p_decompress && p_is_error && p_error_name;
}

int netdns_zstd_available(void) {
    pthread_once(&once, load);
    return loaded;
}

void *netdns_zstd_create(void) {
    if (!netdns_zstd_available()) return NULL;
    void *d = p_create();
    if (d && p_is_error(p_init(d))) { p_free(d); return NULL; }
    return d;
}

void netdns_zstd_free(void *d) {
    if (d && loaded) p_free(d);
}

long netdns_zstd_decompress(void *d, const void *in, size_t in_size, size_t *in_pos,
                            void *out, size_t out_size, size_t *out_pos, const char **error) {
    zstd_in i = { in, in_size, *in_pos };
    zstd_out o = { out, out_size, *out_pos };
    size_t r = p_decompress(d, &o, &i);
    *in_pos = i.pos;
    *out_pos = o.pos;
    if (p_is_error(r)) {
        *error = p_error_name(r);
        return -1;
    }
    return r == 0 ? 0 : 1;
}
