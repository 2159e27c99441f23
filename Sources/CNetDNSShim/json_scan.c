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

long netdns_json_string_end(const void *p, size_t n, size_t start, netdns_json_escapes *out) {
    const unsigned char *s = p;
    long escapes = 0, first = -1, last = -1, previous = -1, end = -1;
    int unicode = 0;
    /* Whether the byte at i is escaped by the backslash just before it. */
    int skip = 0;
    size_t i = start;
#define NETDNS_ESCAPE_AT(pos) do { \
        escapes += 1; \
        if (first < 0) first = (long)(pos); \
        previous = last; \
        last = (long)(pos); \
        if ((pos) + 1 < n && s[(pos) + 1] == 'u') unicode = 1; \
    } while (0)
#if defined(__x86_64__)
    /* Every quote and backslash of 16 bytes at a time, from one mask. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    for (; end < 0 && i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        if (skip) mask &= ~1u;
        skip = 0;
        while (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            size_t pos = i + k;
            if (s[pos] == '"') { end = (long)pos; break; }
            NETDNS_ESCAPE_AT(pos);
            if (k + 1 < 16) mask &= ~(1u << (k + 1)); else skip = 1;
            mask &= mask - 1;
        }
    }
#endif
    for (; end < 0 && i < n; i++) {
        if (skip) { skip = 0; continue; }
        if (s[i] == '"') { end = (long)i; break; }
        if (s[i] == '\\') {
            NETDNS_ESCAPE_AT(i);
            skip = 1;
        }
    }
#undef NETDNS_ESCAPE_AT
    if (end < 0) return -1;
    out->escapes = escapes;
    out->first = first;
    out->last = last;
    out->previous = previous;
    out->unicode = unicode;
    return end;
}
