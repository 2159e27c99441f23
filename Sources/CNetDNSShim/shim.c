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

#if defined(__x86_64__)
__attribute__((target("avx2")))
static uint64_t newline_mask_avx2(const unsigned char *p) {
    const __m256i nl = _mm256_set1_epi8('\n');
    uint32_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)p), nl));
    uint32_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + 32)), nl));
    return (uint64_t)lo | ((uint64_t)hi << 32);
}

__attribute__((target("avx2")))
static size_t index_newlines_avx2(const unsigned char *p, size_t n, uint32_t *out, size_t cap, size_t *scanned) {
    size_t count = 0, i = 0;
    for (; i + 64 <= n && count + 64 <= cap; i += 64) {
        uint64_t mask = newline_mask_avx2(p + i);
        while (mask) {
            out[count++] = (uint32_t)(i + (size_t)__builtin_ctzll(mask));
            mask &= mask - 1;
        }
    }
    if (i + 64 > n && count + 64 <= cap) {
        for (; i < n; i++) if (p[i] == '\n') out[count++] = (uint32_t)i;
    }
    *scanned = i;
    return count;
}

static size_t index_newlines_sse2(const unsigned char *p, size_t n, uint32_t *out, size_t cap, size_t *scanned) {
    const __m128i nl = _mm_set1_epi8('\n');
    size_t count = 0, i = 0;
    for (; i + 64 <= n && count + 64 <= cap; i += 64) {
        uint64_t mask = 0;
        for (int k = 0; k < 4; k++) {
            uint64_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i + 16 * k)), nl));
            mask |= m << (16 * k);
        }
        while (mask) {
            out[count++] = (uint32_t)(i + (size_t)__builtin_ctzll(mask));
            mask &= mask - 1;
        }
    }
    if (i + 64 > n && count + 64 <= cap) {
        for (; i < n; i++) if (p[i] == '\n') out[count++] = (uint32_t)i;
    }
    *scanned = i;
    return count;
}
#endif

size_t netdns_index_newlines(const void *p, size_t n, uint32_t *out, size_t cap, size_t *scanned) {
    const unsigned char *b = p;
#if defined(__x86_64__)
    static int avx2 = -1;
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    return avx2 ? index_newlines_avx2(b, n, out, cap, scanned) : index_newlines_sse2(b, n, out, cap, scanned);
#else
    size_t count = 0, i = 0;
    for (; i < n && count < cap; i++) if (b[i] == '\n') out[count++] = (uint32_t)i;
    *scanned = i;
    return count;
#endif
}

/* Bytes [i, n) one at a time: newlines and needle starts (the needle must fit before n). */
static size_t index_lines_scalar(const unsigned char *p, size_t i, size_t n, uint32_t *newlines, size_t count,
                                 const unsigned char *nd, size_t m, size_t a, size_t b,
                                 uint32_t *hits, size_t *hit_count) {
    for (; i < n; i++) {
        if (p[i] == '\n') newlines[count++] = (uint32_t)i;
        if (i + m <= n && p[i + a] == nd[a] && p[i + b] == nd[b] && memcmp(p + i, nd, m) == 0) hits[(*hit_count)++] = (uint32_t)i;
    }
    return count;
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static size_t index_lines_avx2(const unsigned char *p, size_t n, uint32_t *newlines, size_t cap,
                               const unsigned char *nd, size_t m, size_t a, size_t b,
                               uint32_t *hits, size_t hit_cap, size_t *hit_count, size_t *scanned) {
    const __m256i nl = _mm256_set1_epi8('\n');
    const __m256i va = _mm256_set1_epi8((char)nd[a]), vb = _mm256_set1_epi8((char)nd[b]);
    size_t count = 0, hc = 0, i = 0;
    /* The pair loads reach p[i + 63 + max(a, b)] <= p[i + 63 + m - 1]. */
    for (; i + 63 + m <= n && count + 64 <= cap && hc + 64 <= hit_cap; i += 64) {
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(p + i + 32));
        uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x0, nl))
                      | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x1, nl)) << 32);
        __m256i a0 = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + a)), va);
        __m256i a1 = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 32 + a)), va);
        __m256i b0 = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + b)), vb);
        __m256i b1 = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 32 + b)), vb);
        uint64_t pair = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_and_si256(a0, b0))
                      | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_and_si256(a1, b1)) << 32);
        while (mask) {
            newlines[count++] = (uint32_t)(i + (size_t)__builtin_ctzll(mask));
            mask &= mask - 1;
        }
        while (pair) {
            size_t k = i + (size_t)__builtin_ctzll(pair);
            if (memcmp(p + k, nd, m) == 0) hits[hc++] = (uint32_t)k;
            pair &= pair - 1;
        }
    }
    /* The rest is shorter than 63 + m bytes: at most that many newlines and needles. */
    if (i + 63 + m > n && count + (n - i) <= cap && hc + (n - i) <= hit_cap) {
        count = index_lines_scalar(p, i, n, newlines, count, nd, m, a, b, hits, &hc);
        i = n;
    }
    *hit_count = hc;
    *scanned = i;
    return count;
}
#endif

size_t netdns_index_lines(const void *p, size_t n, uint32_t *newlines, size_t cap,
                          const void *needle, size_t m, size_t a, size_t b,
                          uint32_t *hits, size_t hit_cap, size_t *hit_count, size_t *scanned) {
    const unsigned char *bytes = p, *nd = needle;
#if defined(__x86_64__)
    static int avx2 = -1;
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    if (avx2 && m > 0 && a < m && b < m) {
        return index_lines_avx2(bytes, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, scanned);
    }
#endif
    /* Portable: up to 64 bytes at a time, so that neither list can overflow. */
    size_t count = 0, hc = 0, i = 0;
    while (i < n && count + 64 <= cap && hc + 64 <= hit_cap) {
        size_t stop = n - i > 64 ? i + 64 : n;
        for (; i < stop; i++) {
            if (bytes[i] == '\n') newlines[count++] = (uint32_t)i;
            if (m > 0 && i + m <= n && memcmp(bytes + i, nd, m) == 0) hits[hc++] = (uint32_t)i;
        }
    }
    *hit_count = hc;
    *scanned = i;
    return count;
}
