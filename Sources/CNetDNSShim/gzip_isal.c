/* Intel ISA-L's inflate (igzip), when it is there: the header at build time gives the state's
 * layout, and the library is opened at run time with dlopen, so neither the build nor a machine
 * without libisal depends on it (netdns_isal_unavailable says why it cannot be used). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "CNetDNSShim.h"

#if defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>) && __has_include(<dlfcn.h>)
#define NETDNS_HAVE_ISAL 1
#include <dlfcn.h>
#include <isa-l/igzip_lib.h>
#endif
#endif

#ifdef NETDNS_HAVE_ISAL
struct netdns_isal { struct inflate_state state; };

static void (*fn_init)(struct inflate_state *);
static void (*fn_reset)(struct inflate_state *);
static int (*fn_inflate)(struct inflate_state *);
static const char *why = NULL;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *lib = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libisal.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) { why = "libisal.so.2 is not installed (Debian: apt-get install libisal2)"; return; }
    fn_init = (void (*)(struct inflate_state *))dlsym(lib, "isal_inflate_init");
    fn_reset = (void (*)(struct inflate_state *))dlsym(lib, "isal_inflate_reset");
    fn_inflate = (int (*)(struct inflate_state *))dlsym(lib, "isal_inflate");
    if (!fn_init || !fn_reset || !fn_inflate) why = "libisal has no isal_inflate";
}

const char *netdns_isal_unavailable(void) {
    pthread_once(&once, load);
    return why;
}

netdns_isal *netdns_isal_new(void) {
    if (netdns_isal_unavailable()) return NULL;
    netdns_isal *s = malloc(sizeof *s);
    if (!s) return NULL;
    fn_init(&s->state);
    s->state.crc_flag = ISAL_GZIP;
    return s;
}

void netdns_isal_reset(netdns_isal *s) {
    fn_reset(&s->state);
    s->state.crc_flag = ISAL_GZIP;
}

void netdns_isal_free(netdns_isal *s) { free(s); }

int netdns_isal_inflate(netdns_isal *s, const unsigned char **in, uint32_t *avail_in, unsigned char **out, uint32_t *avail_out) {
    s->state.next_in = (uint8_t *)*in;
    s->state.avail_in = *avail_in;
    s->state.next_out = *out;
    s->state.avail_out = *avail_out;
    int r = fn_inflate(&s->state);
    *in = s->state.next_in;
    *avail_in = s->state.avail_in;
    *out = s->state.next_out;
    *avail_out = s->state.avail_out;
    if (r < 0) return r;
    if (r > ISAL_OUT_OVERFLOW) return -100 - r;   /* dictionary or header buffers: not gzip input we read */
    return s->state.block_state == ISAL_BLOCK_FINISH ? 1 : 0;
}
#else
const char *netdns_isal_unavailable(void) { return "this build has no ISA-L support (build with libisal-dev installed)"; }
netdns_isal *netdns_isal_new(void) { return NULL; }
void netdns_isal_reset(netdns_isal *s) { (void)s; }
void netdns_isal_free(netdns_isal *s) { (void)s; }
int netdns_isal_inflate(netdns_isal *s, const unsigned char **in, uint32_t *avail_in, unsigned char **out, uint32_t *avail_out) {
    (void)s; (void)in; (void)avail_in; (void)out; (void)avail_out; return -100;
}
#endif
