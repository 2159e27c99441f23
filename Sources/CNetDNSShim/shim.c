#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include "CNetDNSShim.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

int netdns_isatty(int fd) { return isatty(fd); }

int netdns_set_pipe_size(int fd, int size) {
#ifdef F_SETPIPE_SZ
    return fcntl(fd, F_SETPIPE_SZ, size);
#else
    (void)fd; (void)size; return -1;
#endif
}

/* Positions [i, n - m] tested one by one, as the vector loops leave them. */
static const void *find_pair_scalar(const unsigned char *h, size_t i, size_t n, const unsigned char *nd, size_t m,
                                    size_t a, size_t b) {
    for (; i + m <= n; i++) {
        if (h[i + a] == nd[a] && h[i + b] == nd[b] && memcmp(h + i, nd, m) == 0) return h + i;
    }
    return NULL;
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static const void *find_pair_avx2(const unsigned char *h, size_t n, const unsigned char *nd, size_t m, size_t a, size_t b) {
    const __m256i va = _mm256_set1_epi8((char)nd[a]), vb = _mm256_set1_epi8((char)nd[b]);
    size_t i = 0;
    /* The loads reach h[i + 31 + max(a, b)] <= h[i + 31 + m - 1]. */
    for (; i + 31 + m <= n; i += 32) {
        __m256i x = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(h + i + a)), va);
        __m256i y = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(h + i + b)), vb);
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(x, y));
        while (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            if (memcmp(h + i + k, nd, m) == 0) return h + i + k;
            mask &= mask - 1;
        }
    }
    return find_pair_scalar(h, i, n, nd, m, a, b);
}

static const void *find_pair_sse2(const unsigned char *h, size_t n, const unsigned char *nd, size_t m, size_t a, size_t b) {
    const __m128i va = _mm_set1_epi8((char)nd[a]), vb = _mm_set1_epi8((char)nd[b]);
    size_t i = 0;
    for (; i + 15 + m <= n; i += 16) {
        __m128i x = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(h + i + a)), va);
        __m128i y = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(h + i + b)), vb);
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(x, y));
        while (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            if (memcmp(h + i + k, nd, m) == 0) return h + i + k;
            mask &= mask - 1;
        }
    }
    return find_pair_scalar(h, i, n, nd, m, a, b);
}
#endif

const void *netdns_find_pair(const void *haystack, size_t n, const void *needle, size_t m, size_t a, size_t b) {
    const unsigned char *h = haystack, *nd = needle;
    if (m == 0) return haystack;
    if (n < m || a >= m || b >= m) return n < m ? NULL : memmem(haystack, n, needle, m);
#if defined(__x86_64__)
    static int avx2 = -1;
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    return avx2 ? find_pair_avx2(h, n, nd, m, a, b) : find_pair_sse2(h, n, nd, m, a, b);
#else
    return find_pair_scalar(h, 0, n, nd, m, a, b);
#endif
}
