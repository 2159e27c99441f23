/* The search for the fault texts that may sit anywhere in a message (FaultRecognizer's
 * anywhereNeedles): "fork/exec ", "x509: " and "unknown time zone ", in one pass. Every one of
 * them holds an 'x' or a 'z' at a fixed offset ('x' at 6 and 0, 'z' at 13); b | 0x02 == 'z' holds
 * exactly for those two bytes, so one compare per byte finds the candidates, and each is
 * checked against the needle(s) its byte belongs to. */
#define _GNU_SOURCE
#include <string.h>
#include "CNetDNSShim.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* The needle that the 'x' or 'z' at h[k] belongs to, as the offset of its start, or -1. */
static inline long fault_text_at(const unsigned char *h, size_t n, size_t k) {
    if (h[k] == 'x') {
        if (k + 6 <= n && memcmp(h + k, "x509: ", 6) == 0) return (long)k;
        if (k >= 6 && k + 4 <= n && memcmp(h + k - 6, "fork/exec ", 10) == 0) return (long)(k - 6);
    } else if (h[k] == 'z') {
        if (k >= 13 && k + 5 <= n && memcmp(h + k - 13, "unknown time zone ", 18) == 0) return (long)(k - 13);
    }
    return -1;
}

/* The first text whose 'x' or 'z' is at or after h[i]. */
static const void *fault_scalar(const unsigned char *h, size_t i, size_t n) {
    for (; i < n; i++) {
        if ((h[i] | 0x02) != 'z') continue;
        long at = fault_text_at(h, n, i);
        if (at >= 0) return h + at;
    }
    return NULL;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static const void *fault_avx2(const unsigned char *h, size_t n) {
    const __m256i two = _mm256_set1_epi8(2), z = _mm256_set1_epi8('z');
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(h + i)), b = _mm256_loadu_si256((const __m256i *)(h + i + 32));
        uint64_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_or_si256(a, two), z))
            | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_or_si256(b, two), z)) << 32);
        while (mask) {
            long at = fault_text_at(h, n, i + (size_t)__builtin_ctzll(mask));
            if (at >= 0) return h + at;
            mask &= mask - 1;
        }
    }
    return fault_scalar(h, i, n);
}

static const void *fault_sse2(const unsigned char *h, size_t n) {
    const __m128i two = _mm_set1_epi8(2), z = _mm_set1_epi8('z');
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint32_t mask = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128((const __m128i *)(h + i)), two), z));
        while (mask) {
            long at = fault_text_at(h, n, i + (size_t)__builtin_ctz(mask));
            if (at >= 0) return h + at;
            mask &= mask - 1;
        }
    }
    return fault_scalar(h, i, n);
}
#endif

const void *netdns_find_fault_text(const void *haystack, size_t n) {
    const unsigned char *h = haystack;
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? fault_avx2(h, n) : fault_sse2(h, n);
#else
    return fault_scalar(h, 0, n);
#endif
}
