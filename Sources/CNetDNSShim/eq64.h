/* The 64-byte equality mask the vector scans are written over (vector_scan.c, json_scan.c,
 * fault_scan.c): bit k set where p[k] == c. SSE2 on every x86_64 (eq64_bytes), a plain loop
 * elsewhere; eq64_avx2 is the AVX2 copy, for functions compiled for AVX2. */
#ifndef NETDNS_EQ64_H
#define NETDNS_EQ64_H
#include <stdint.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static inline uint64_t eq64_bytes(const unsigned char *p, unsigned char c) {
#if defined(__x86_64__)
    const __m128i v = _mm_set1_epi8((char)c);
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        uint64_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * k)), v));
        mask |= m << (16 * k);
    }
    return mask;
#else
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) mask |= (uint64_t)(p[k] == c) << k;
    return mask;
#endif
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static inline uint64_t eq64_avx2(const unsigned char *p, unsigned char c) {
    const __m256i v = _mm256_set1_epi8((char)c);
    uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)p), v));
    uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + 32)), v));
    return lo | (hi << 32);
}
#endif

#endif
