/* The vector scans of the hot path: each is written once, over a 64-byte equality mask, and
 * compiled for AVX2 and for SSE2 (every x86_64); the AVX2 copy is chosen at run time when the
 * processor has it. Other processors use the plain loops. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "CNetDNSShim.h"
#include "eq64.h"
#include "fault_text.h"
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

/* Bytes [i, n) one at a time: newlines, needle starts and (with `faults`) fault text starts
 * where they fit before n. */
static size_t index_lines_scalar(const unsigned char *p, size_t i, size_t n, uint32_t *newlines, size_t count,
                                 const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t *hit_count,
                                 uint32_t *faults, size_t *fault_count) {
    for (; i < n; i++) {
        if (p[i] == '\n') newlines[count++] = (uint32_t)i;
        if (i + m <= n && p[i + a] == nd[a] && p[i + b] == nd[b] && memcmp(p + i, nd, m) == 0) hits[(*hit_count)++] = (uint32_t)i;
        if (faults && fault_text_starts_at(p, i, n)) faults[(*fault_count)++] = (uint32_t)i;
    }
    return count;
}

/* Whether the needle (m bytes) starts at q, where m <= n - (q - p): for needles of 4 to 8
 * bytes two overlapping 4-byte words, else memcmp. */
static inline int needle_at(const unsigned char *q, const unsigned char *nd, size_t m) {
    if (m >= 4 && m <= 8) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, q, 4); memcpy(&y0, nd, 4);
        memcpy(&x1, q + m - 4, 4); memcpy(&y1, nd + m - 4, 4);
        return x0 == y0 && x1 == y1;
    }
    return memcmp(q, nd, m) == 0;
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
            if (needle_at(h + k, nd, m)) return h + k;
            mask &= mask - 1;
        }
    }
    return find_pair_scalar(h, i, n, nd, m, a, b);
}

/* The lists of the 64-byte block at p[i] from its masks: newlines, needle candidates and
 * fault text candidates (each candidate compared in full). */
static inline __attribute__((always_inline)) void index_block(const unsigned char *p, size_t n, size_t i, uint64_t mask,
        uint64_t pair, uint64_t fault, const unsigned char *nd, size_t m, uint32_t *newlines, size_t *count, uint32_t *hits,
        size_t *hc, uint32_t *faults, size_t *fc) {
    while (mask) {
        newlines[(*count)++] = (uint32_t)(i + (size_t)__builtin_ctzll(mask));
        mask &= mask - 1;
    }
    while (pair) {
        size_t k = i + (size_t)__builtin_ctzll(pair);
        if (needle_at(p + k, nd, m)) hits[(*hc)++] = (uint32_t)k;
        pair &= pair - 1;
    }
    while (fault) {
        size_t k = i + (size_t)__builtin_ctzll(fault);
        if (fault_text_starts_at(p, k, n)) faults[(*fc)++] = (uint32_t)k;
        fault &= fault - 1;
    }
}

/* After the blocks: the rest (shorter than 63 + reach bytes, so at most that many newlines,
 * needles and texts) one byte at a time when the lists have room, and the counts. */
static inline __attribute__((always_inline)) size_t index_finish(const unsigned char *p, size_t n, size_t i, size_t reach,
        uint32_t *newlines, size_t cap, size_t count, const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits,
        size_t hit_cap, size_t hc, size_t *hit_count, uint32_t *faults, size_t fc, size_t *fault_count, size_t *scanned) {
    if (i + 63 + reach > n && count + (n - i) <= cap && hc + (n - i) <= hit_cap && fc + (n - i) <= hit_cap) {
        count = index_lines_scalar(p, i, n, newlines, count, nd, m, a, b, hits, &hc, faults, &fc);
        i = n;
    }
    *hit_count = hc;
    if (fault_count) *fault_count = fc;
    *scanned = i;
    return count;
}

/* How far past a 64-byte block the loads and full compares of a block reach. */
static inline size_t index_reach(size_t m, const uint32_t *faults) {
    return faults && m < FAULT_TEXT_MAX ? FAULT_TEXT_MAX : m;
}

/* Newlines, needles and fault texts, 64 bytes at a time. */
static inline __attribute__((always_inline)) size_t index_lines_with(
        eq64_fn eq64, const unsigned char *p, size_t n, uint32_t *newlines, size_t cap, const unsigned char *nd, size_t m,
        size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count, uint32_t *faults, size_t *fault_count,
        size_t *scanned) {
    size_t count = 0, hc = 0, fc = 0, i = 0, reach = index_reach(m, faults);
    for (; i + 63 + reach <= n && count + 64 <= cap && hc + 64 <= hit_cap && fc + 64 <= hit_cap; i += 64) {
        uint64_t mask = eq64(p + i, '\n');
        uint64_t pair = eq64(p + i + a, nd[a]) & eq64(p + i + b, nd[b]);
        uint64_t fault = faults ? (eq64(p + i, 'x') & eq64(p + i + 3, '9')) | (eq64(p + i, 'f') & eq64(p + i + 3, 'k'))
                                      | (eq64(p + i, 'u') & eq64(p + i + 5, 'w'))
                                : 0;
        index_block(p, n, i, mask, pair, fault, nd, m, newlines, &count, hits, &hc, faults, &fc);
    }
    return index_finish(p, n, i, reach, newlines, cap, count, nd, m, a, b, hits, hit_cap, hc, hit_count, faults, fc, fault_count,
                        scanned);
}

#if defined(__x86_64__)
/* The SSE2 copy: eq64.h's mask, shared with json_scan.c. */
static inline uint64_t eq64_sse2(const unsigned char *p, unsigned char c) { return eq64_bytes(p, c); }

__attribute__((target("avx2"))) static const void *find_pair_avx2(const unsigned char *h, size_t n, const unsigned char *nd,
                                                                  size_t m, size_t a, size_t b) {
    return find_pair_with(eq64_avx2, h, n, nd, m, a, b);
}

static const void *find_pair_sse2(const unsigned char *h, size_t n, const unsigned char *nd, size_t m, size_t a, size_t b) {
    return find_pair_with(eq64_sse2, h, n, nd, m, a, b);
}

/* The AVX2 copy of index_lines_with, with its masks fused: the pair bytes are ANDed before
 * one movemask per 32 bytes, and a 64-byte block with no newline and no candidate (most of
 * them) costs one test. Same results as index_lines_with. The fault texts' pairs are at
 * offsets 0, 3 and 5 (fault_text.h). */
__attribute__((target("avx2"))) static size_t index_lines_avx2(const unsigned char *p, size_t n, uint32_t *newlines, size_t cap,
        const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count,
        uint32_t *faults, size_t *fault_count, size_t *scanned) {
    size_t count = 0, hc = 0, fc = 0, i = 0, reach = index_reach(m, faults);
    const __m256i vnl = _mm256_set1_epi8('\n'), va = _mm256_set1_epi8((char)nd[a]), vb = _mm256_set1_epi8((char)nd[b]);
    const __m256i fx = _mm256_set1_epi8('x'), f9 = _mm256_set1_epi8('9'), ff = _mm256_set1_epi8('f'), fk = _mm256_set1_epi8('k'),
                  fu = _mm256_set1_epi8('u'), fw = _mm256_set1_epi8('w');
    /* Without `faults` the fault masks stay empty. */
    const __m256i none = _mm256_setzero_si256();
    const int with_faults = faults != NULL;
    for (; i + 63 + reach <= n && count + 64 <= cap && hc + 64 <= hit_cap && fc + 64 <= hit_cap; i += 64) {
        const unsigned char *q = p + i;
        __m256i l0 = _mm256_loadu_si256((const __m256i *)q), l1 = _mm256_loadu_si256((const __m256i *)(q + 32));
        __m256i nl0 = _mm256_cmpeq_epi8(l0, vnl), nl1 = _mm256_cmpeq_epi8(l1, vnl);
        __m256i pr0 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(q + a)), va),
                                       _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(q + b)), vb));
        __m256i pr1 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(q + 32 + a)), va),
                                       _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(q + 32 + b)), vb));
        __m256i ft0 = none, ft1 = none;
        if (with_faults) {
            __m256i t0 = _mm256_loadu_si256((const __m256i *)(q + 3)), t1 = _mm256_loadu_si256((const __m256i *)(q + 35));
            __m256i v0 = _mm256_loadu_si256((const __m256i *)(q + 5)), v1 = _mm256_loadu_si256((const __m256i *)(q + 37));
            ft0 = _mm256_or_si256(_mm256_or_si256(_mm256_and_si256(_mm256_cmpeq_epi8(l0, fx), _mm256_cmpeq_epi8(t0, f9)),
                                                  _mm256_and_si256(_mm256_cmpeq_epi8(l0, ff), _mm256_cmpeq_epi8(t0, fk))),
                                  _mm256_and_si256(_mm256_cmpeq_epi8(l0, fu), _mm256_cmpeq_epi8(v0, fw)));
            ft1 = _mm256_or_si256(_mm256_or_si256(_mm256_and_si256(_mm256_cmpeq_epi8(l1, fx), _mm256_cmpeq_epi8(t1, f9)),
                                                  _mm256_and_si256(_mm256_cmpeq_epi8(l1, ff), _mm256_cmpeq_epi8(t1, fk))),
                                  _mm256_and_si256(_mm256_cmpeq_epi8(l1, fu), _mm256_cmpeq_epi8(v1, fw)));
        }
        __m256i any = _mm256_or_si256(_mm256_or_si256(_mm256_or_si256(nl0, nl1), _mm256_or_si256(pr0, pr1)),
                                      _mm256_or_si256(ft0, ft1));
        if (_mm256_testz_si256(any, any)) continue;
        uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(nl0) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(nl1) << 32);
        uint64_t pair = (uint64_t)(uint32_t)_mm256_movemask_epi8(pr0) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(pr1) << 32);
        uint64_t fault = (uint64_t)(uint32_t)_mm256_movemask_epi8(ft0) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(ft1) << 32);
        index_block(p, n, i, mask, pair, fault, nd, m, newlines, &count, hits, &hc, faults, &fc);
    }
    return index_finish(p, n, i, reach, newlines, cap, count, nd, m, a, b, hits, hit_cap, hc, hit_count, faults, fc, fault_count,
                        scanned);
}

/* The AVX-512 copy of index_lines_with: compares straight into 64-bit masks, and each pair's
 * second compare masked by its first, so a block costs one compare per tested byte (newline,
 * the needle's two, the fault texts' six). Same results as index_lines_with. */
__attribute__((target("avx512bw"))) static size_t index_lines_avx512(const unsigned char *p, size_t n, uint32_t *newlines,
        size_t cap, const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count,
        uint32_t *faults, size_t *fault_count, size_t *scanned) {
    size_t count = 0, hc = 0, fc = 0, i = 0, reach = index_reach(m, faults);
    const __m512i vnl = _mm512_set1_epi8('\n'), va = _mm512_set1_epi8((char)nd[a]), vb = _mm512_set1_epi8((char)nd[b]);
    const __m512i fx = _mm512_set1_epi8('x'), f9 = _mm512_set1_epi8('9'), ff = _mm512_set1_epi8('f'), fk = _mm512_set1_epi8('k'),
                  fu = _mm512_set1_epi8('u'), fw = _mm512_set1_epi8('w');
    const int with_faults = faults != NULL;
    for (; i + 63 + reach <= n && count + 64 <= cap && hc + 64 <= hit_cap && fc + 64 <= hit_cap; i += 64) {
        const unsigned char *q = p + i;
        __m512i l = _mm512_loadu_si512((const void *)q);
        uint64_t mask = _mm512_cmpeq_epi8_mask(l, vnl);
        uint64_t pair = _mm512_mask_cmpeq_epi8_mask(_mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(q + a)), va),
                                                    _mm512_loadu_si512((const void *)(q + b)), vb);
        uint64_t fault = 0;
        if (with_faults) {
            __m512i t = _mm512_loadu_si512((const void *)(q + 3)), v = _mm512_loadu_si512((const void *)(q + 5));
            fault = _mm512_mask_cmpeq_epi8_mask(_mm512_cmpeq_epi8_mask(l, fx), t, f9)
                  | _mm512_mask_cmpeq_epi8_mask(_mm512_cmpeq_epi8_mask(l, ff), t, fk)
                  | _mm512_mask_cmpeq_epi8_mask(_mm512_cmpeq_epi8_mask(l, fu), v, fw);
        }
        index_block(p, n, i, mask, pair, fault, nd, m, newlines, &count, hits, &hc, faults, &fc);
    }
    return index_finish(p, n, i, reach, newlines, cap, count, nd, m, a, b, hits, hit_cap, hc, hit_count, faults, fc, fault_count,
                        scanned);
}

static size_t index_lines_sse2(const unsigned char *p, size_t n, uint32_t *newlines, size_t cap,
        const unsigned char *nd, size_t m, size_t a, size_t b, uint32_t *hits, size_t hit_cap, size_t *hit_count,
        uint32_t *faults, size_t *fault_count, size_t *scanned) {
    return index_lines_with(eq64_sse2, p, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, faults, fault_count, scanned);
}

/* Which vector copies the processor runs, asked once (threads may race to ask; they get one
 * answer): 1 AVX2, 2 AVX2 and AVX-512BW, 0 neither. NETDNS_AUDIT_NO_AVX512 set in the
 * environment keeps to AVX2 (to compare the copies). */
static int vector_level(void) {
    static int level = -1;
    int known = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (known < 0) {
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
        if (known && __builtin_cpu_supports("avx512bw") && getenv("NETDNS_AUDIT_NO_AVX512") == NULL) known = 2;
        __atomic_store_n(&level, known, __ATOMIC_RELAXED);
    }
    return known;
}

static int has_avx2(void) { return vector_level() >= 1; }
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

int netdns_vector_level(void) {
#if defined(__x86_64__)
    return vector_level();
#else
    return 0;
#endif
}

size_t netdns_index_lines(const void *p, size_t n, uint32_t *newlines, size_t cap,
                          const void *needle, size_t m, size_t a, size_t b,
                          uint32_t *hits, size_t hit_cap, size_t *hit_count,
                          uint32_t *faults, size_t *fault_count, size_t *scanned) {
    return netdns_index_lines_at(netdns_vector_level(), p, n, newlines, cap, needle, m, a, b, hits, hit_cap, hit_count,
                                 faults, fault_count, scanned);
}

size_t netdns_index_lines_at(int level, const void *p, size_t n, uint32_t *newlines, size_t cap,
                             const void *needle, size_t m, size_t a, size_t b,
                             uint32_t *hits, size_t hit_cap, size_t *hit_count,
                             uint32_t *faults, size_t *fault_count, size_t *scanned) {
    const unsigned char *bytes = p, *nd = needle;
    if (fault_count) *fault_count = 0;
    if (m == 0 || m > 64 || a >= m || b >= m || cap < 128 || hit_cap < 128 || (faults != NULL) != (fault_count != NULL)) {
        *hit_count = 0;
        *scanned = 0;
        return 0;
    }
#if defined(__x86_64__)
    if (level > vector_level()) level = vector_level();
    switch (level) {
    case 2: return index_lines_avx512(bytes, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, faults, fault_count, scanned);
    case 1: return index_lines_avx2(bytes, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, faults, fault_count, scanned);
    default: return index_lines_sse2(bytes, n, newlines, cap, nd, m, a, b, hits, hit_cap, hit_count, faults, fault_count, scanned);
    }
#else
    (void)level;
    /* Up to 64 bytes at a time, so that no list can overflow. */
    size_t count = 0, hc = 0, fc = 0, i = 0;
    while (i < n && count + 64 <= cap && hc + 64 <= hit_cap && fc + 64 <= hit_cap) {
        size_t stop = n - i > 64 ? i + 64 : n;
        for (; i < stop; i++) {
            if (bytes[i] == '\n') newlines[count++] = (uint32_t)i;
            if (i + m <= n && bytes[i + a] == nd[a] && bytes[i + b] == nd[b] && memcmp(bytes + i, nd, m) == 0) hits[hc++] = (uint32_t)i;
            if (faults && fault_text_starts_at(bytes, i, n)) faults[fc++] = (uint32_t)i;
        }
    }
    *hit_count = hc;
    if (fault_count) *fault_count = fc;
    *scanned = i;
    return count;
#endif
}

size_t netdns_close_and_slash(const void *p, size_t n, size_t *slash) {
    const unsigned char *s = p;
    size_t i = 0, first_slash = n;
#if defined(__x86_64__)
    const __m128i close = _mm_set1_epi8(']'), sl = _mm_set1_epi8('/');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, close));
        unsigned ms = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sl));
        if (first_slash == n && ms) first_slash = i + (size_t)__builtin_ctz(ms);
        if (mc) {
            size_t c = i + (size_t)__builtin_ctz(mc);
            *slash = first_slash < c ? first_slash : n;
            return c;
        }
    }
#endif
    for (; i < n; i++) {
        if (s[i] == ']') {
            *slash = first_slash < i ? first_slash : n;
            return i;
        }
        if (first_slash == n && s[i] == '/') first_slash = i;
    }
    *slash = n;
    return n;
}

/* [0-9A-Za-z_.-]: the bytes of a docker compose container name. */
static const unsigned char name_byte[256] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

/* 16 bytes at a time: a byte is a name byte when it is a digit, a letter (case folded), `_`,
 * `-` or `.`; each range is one unsigned comparison (b - lo <= hi - lo, as min(b - lo, k) == b - lo). */
size_t netdns_span_name(const void *p, size_t n) {
    const unsigned char *s = p;
    size_t i = 0;
#if defined(__x86_64__)
    const __m128i digit0 = _mm_set1_epi8('0'), digitK = _mm_set1_epi8(9);
    const __m128i lowerA = _mm_set1_epi8('a'), letterK = _mm_set1_epi8(25), caseBit = _mm_set1_epi8(0x20);
    const __m128i dash = _mm_set1_epi8('-'), dashK = _mm_set1_epi8(1), underscore = _mm_set1_epi8('_');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i d = _mm_sub_epi8(v, digit0);
        __m128i l = _mm_sub_epi8(_mm_or_si128(v, caseBit), lowerA);
        __m128i m = _mm_sub_epi8(v, dash);
        __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, digitK), d),
                                               _mm_cmpeq_epi8(_mm_min_epu8(l, letterK), l)),
                                  _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(m, dashK), m), _mm_cmpeq_epi8(v, underscore)));
        unsigned stop = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
        if (stop) return i + (size_t)__builtin_ctz(stop);
    }
#endif
    while (i < n && name_byte[s[i]]) i++;
    return i;
}

/* 16 bytes at a time: a stop byte is a control byte or space (b <= 0x20, one unsigned
 * comparison as min(b, 0x20) == b), `"`, `:`, `\` or DEL; bytes of 0x80 and more are not. */
size_t netdns_skip_dns_name(const void *p, size_t n) {
    const unsigned char *s = p;
    size_t i = 0;
#if defined(__x86_64__)
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8(0x22), colon = _mm_set1_epi8(0x3A);
    const __m128i backslash = _mm_set1_epi8(0x5C), del = _mm_set1_epi8(0x7F);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, space), v), _mm_cmpeq_epi8(v, quote)),
                                    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, backslash)),
                                                 _mm_cmpeq_epi8(v, del)));
        unsigned mask = (unsigned)_mm_movemask_epi8(stop);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; i < n; i++) {
        unsigned char b = s[i];
        if (b <= 0x20 || b == 0x22 || b == 0x3A || b == 0x5C || b == 0x7F) return i;
    }
    return n;
}

void netdns_journald_ends(const void *p, size_t n, size_t from, size_t ends[3]) {
    const unsigned char *s = p;
    size_t found = 0;
    size_t i = from;
    ends[0] = ends[1] = ends[2] = n;
#if defined(__x86_64__)
    const __m128i space = _mm_set1_epi8(' '), bracket = _mm_set1_epi8('['), colon = _mm_set1_epi8(':');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space));
        unsigned stops = spaces | (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, bracket), _mm_cmpeq_epi8(v, colon)));
        while (found < 3) {
            unsigned mask = found < 2 ? spaces : stops;
            if (!mask) break;
            unsigned k = (unsigned)__builtin_ctz(mask);
            ends[found++] = i + k;
            /* Only bytes after this end count for the next one. */
            unsigned after = ~0u << (k + 1);
            spaces &= after;
            stops &= after;
        }
        if (found == 3) return;
    }
#endif
    for (; i < n && found < 3; i++) {
        if (s[i] == ' ' || (found == 2 && (s[i] == '[' || s[i] == ':'))) ends[found++] = i;
    }
}

size_t netdns_find_byte3(const void *p, size_t n, unsigned char a, unsigned char b, unsigned char c) {
    const unsigned char *s = p;
    size_t i = 0;
#if defined(__x86_64__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc)));
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; i < n; i++) {
        if (s[i] == a || s[i] == b || s[i] == c) return i;
    }
    return n;
}
