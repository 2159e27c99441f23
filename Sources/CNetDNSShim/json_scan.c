/* The byte scan of JSON string values: the first quote or backslash, 16 bytes at a time with
 * SSE2 (every x86_64); other processors use the plain loop. */
#include "CNetDNSShim.h"
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

size_t netdns_find_quote_or_backslash(const void *p, size_t n) {
    const unsigned char *s = p;
    size_t i = 0;
#if defined(__x86_64__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') return i;
    }
    return n;
}
