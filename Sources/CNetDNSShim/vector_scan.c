/* The vector scans of the hot path: each is written once, over a 64-byte equality mask, and
 * compiled for AVX2 and for SSE2 (every x86_64); the AVX2 copy is chosen at run time when the
 * processor has it. Other processors use the plain loops. */
#define _GNU_SOURCE
#include <string.h>
#include "CNetDNSShim.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef uint64_t (*eq64_fn)(const unsigned char *p, unsigned char c);

/* Positions [i, n - m] tested one by one, as the vector loops leave them. */
static const void *find_pair_scalar(const unsigned char *h, size_t i, size_t n, const unsigned char *nd, size_t m,
                                    size_t a, size_t b) {
    for (; i + m <= n; i++) {
        if (h[i + a] == nd[a] && h[i + b] == nd[b] && memcmp(h + i, nd, m) == 0) return h + i;
    }
    return NULL;
}

/* Bytes [i, n) one at a time: newlines, and needle starts where the needle fits before n. */
static size_t index_lines_scalar(const unsigned char *p, size_t i, size_t n, uint32_t *newlines, size_t count,
                                 const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t *hit_count) {
    for (; i < n; i++) {
        if (p[i] == '\n') newlines[count++] = (uint32_t)i;
        if (i + m <= n && p[i + a] == nd[a] && p[i + b] == nd[b] && memcmp(p + i, nd, m) == 0) hits[(*hit_count)++] = (uint32_t)i;
    }
    return count;
}

/* The first needle, 64 positions at a time (`eq64` inlined into each instruction set's copy). */
static inline __attribute__((always_inline)) const void *find_pair_with(eq64_fn eq64, const unsigned char *h, size_t n,
                                                                        const unsigned char *nd, size_t m, size_t a, size_t b) {
    size_t i = 0;
    /* The loads reach h[i + 63 + max(a, b)] <= h[i + 63 + m - 1]. */
    for (; i + 63 + m <= n; i += 64) {
        uint64_t mask = eq64(h + i + a, nd[a]) & eq64(h + i + b, nd[b]);
        while (mask) {
            size_t k = i + (size_t)__builtin_ctzll(mask);
            if (memcmp(h + k, nd, m) == 0) return h + k;
            mask &= mask - 1;
        }
    }
    return find_pair_scalar(h, i, n, nd, m, a, b);
}

/* Newlines and needles, 64 bytes at a time. */
static inline __attribute__((always_inline)) size_t index_lines_with(
        eq64_fn eq64, const unsigned char *p, size_t n, uint32_t *newlines, size_t cap, const unsigned char *nd, size_t m,
        size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count, size_t *scanned) {
    size_t count = 0, hc = 0, i = 0;
    for (; i + 63 + m <= n && count + 64 <= cap && hc + 64 <= hit_cap; i += 64) {
        uint64_t mask = eq64(p + i, '\n');
        uint64_t pair = eq64(p + i + a, nd[a]) & eq64(p + i + b, nd[b]);
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

#if defined(__x86_64__)
__attribute__((target("avx2"))) static inline uint64_t eq64_avx2(const unsigned char *p, unsigned char c) {
    const __m256i v = _mm256_set1_epi8((char)c);
    uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)p), v));
    uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + 32)), v));
    return lo | (hi << 32);
}

static inline uint64_t eq64_sse2(const unsigned char *p, unsigned char c) {
    const __m128i v = _mm_set1_epi8((char)c);
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        uint64_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * k)), v));
        mask |= m << (16 * k);
    }
    return mask;
}

__attribute__((target("avx2"))) static const void *find_pair_avx2(const unsigned char *h, size_t n, const unsigned char *nd,
                                                                  size_t m, size_t a, size_t b) {
    return find_pair_with(eq64_avx2, h, n, nd, m, a, b);
}

static const void *find_pair_sse2(const unsigned char *h, size_t n, const unsigned char *nd, size_t m, size_t a, size_t b) {
    return find_pair_with(eq64_sse2, h, n, nd, m, a, b);
}

__attribute__((target("avx2"))) static size_t index_lines_avx2(const unsigned char *p, size_t n, uint32_t *newlines, size_t cap,
        const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count, size_t *scanned) {
    return index_lines_with(eq64_avx2, p, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, scanned);
}

static size_t index_lines_sse2(const unsigned char *p, size_t n, uint32_t *newlines, size_t cap,
        const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count, size_t *scanned) {
    return index_lines_with(eq64_sse2, p, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, scanned);
}

/* Whether the processor has AVX2, asked once (threads may race to ask; they get one answer). */
static int has_avx2(void) {
    static int avx2 = -1;
    int known = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
    if (known < 0) {
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&avx2, known, __ATOMIC_RELAXED);
    }
    return known;
}
#endif

const void *netdns_find_pair(const void *haystack, size_t n, const void *needle, size_t m, size_t a, size_t b) {
    const unsigned char *h = haystack, *nd = needle;
    if (m == 0) return haystack;
    if (n < m) return NULL;
    if (a >= m || b >= m) return memmem(haystack, n, needle, m);
#if defined(__x86_64__)
    return has_avx2() ? find_pair_avx2(h, n, nd, m, a, b) : find_pair_sse2(h, n, nd, m, a, b);
#else
    return find_pair_scalar(h, 0, n, nd, m, a, b);
#endif
}

size_t netdns_index_lines(const void *p, size_t n, uint32_t *newlines, size_t cap,
                          const void *needle, size_t m, size_t a, size_t b,
                          uint32_t *hits, size_t hit_cap, size_t *hit_count, size_t *scanned) {
    const unsigned char *bytes = p, *nd = needle;
    if (m == 0 || m > 64 || a >= m || b >= m || cap < 128 || hit_cap < 128) {
        *hit_count = 0;
        *scanned = 0;
        return 0;
    }
#if defined(__x86_64__)
    return has_avx2() ? index_lines_avx2(bytes, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, scanned)
                      : index_lines_sse2(bytes, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, scanned);
#else
    /* Up to 64 bytes at a time, so that neither list can overflow. */
    size_t count = 0, hc = 0, i = 0;
    while (i < n && count + 64 <= cap && hc + 64 <= hit_cap) {
        size_t stop = n - i > 64 ? i + 64 : n;
        for (; i < stop; i++) {
            if (bytes[i] == '\n') newlines[count++] = (uint32_t)i;
            if (i + m <= n && bytes[i + a] == nd[a] && bytes[i + b] == nd[b] && memcmp(bytes + i, nd, m) == 0) hits[hc++] = (uint32_t)i;
        }
    }
    *hit_count = hc;
    *scanned = i;
    return count;
#endif
}
