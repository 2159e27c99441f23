/* The search for the fault texts of fault_text.h in a region (for callers without a line
 * index): the same pair test as the line index, 64 positions at a time. */
#define _GNU_SOURCE
#include <string.h>
#include "CNetDNSShim.h"
#include "eq64.h"
#include "fault_text.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* Positions [i, n) one by one. */
static const void *fault_scalar(const unsigned char *h, size_t i, size_t n) {
    for (; i < n; i++) {
        if (fault_text_starts_at(h, i, n)) return h + i;
    }
    return NULL;
}

/* The pair mask of 64 positions (`eq64` inlined into each instruction set's copy). */
typedef uint64_t (*eq64_fn)(const unsigned char *p, unsigned char c);
static inline __attribute__((always_inline)) uint64_t fault_pairs64(eq64_fn eq64, const unsigned char *q) {
    return (eq64(q, 'x') & eq64(q + 3, '9')) | (eq64(q, 'f') & eq64(q + 3, 'k')) | (eq64(q, 'u') & eq64(q + 5, 'w'));
}

static inline __attribute__((always_inline)) const void *fault_with(eq64_fn eq64, const unsigned char *h, size_t n) {
    size_t i = 0;
    for (; i + 63 + FAULT_TEXT_MAX <= n; i += 64) {
        uint64_t mask = fault_pairs64(eq64, h + i);
        while (mask) {
            size_t k = i + (size_t)__builtin_ctzll(mask);
            if (fault_text_starts_at(h, k, n)) return h + k;
            mask &= mask - 1;
        }
    }
    return fault_scalar(h, i, n);
}

#if defined(__x86_64__)
static inline uint64_t fault_eq64_sse2(const unsigned char *p, unsigned char c) { return eq64_bytes(p, c); }
__attribute__((target("avx2"))) static const void *fault_avx2(const unsigned char *h, size_t n) { return fault_with(eq64_avx2, h, n); }
static const void *fault_sse2(const unsigned char *h, size_t n) { return fault_with(fault_eq64_sse2, h, n); }
#endif

const void *netdns_find_fault_text(const void *haystack, size_t n) {
    const unsigned char *h = haystack;
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? fault_avx2(h, n) : fault_sse2(h, n);
#else
    return fault_scalar(h, 0, n);
#endif
}
