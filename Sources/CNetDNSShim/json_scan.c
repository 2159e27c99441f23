/* The byte scan of JSON string values: the end of a value and its escapes, 64 bytes at a time
 * over the equality masks of eq64.h. */
#include <string.h>
#include "CNetDNSShim.h"
#include "eq64.h"

long netdns_json_string_end(const void *p, size_t n, size_t start, netdns_json_escapes *out) {
    const unsigned char *s = p;
    long escapes = 0, first = -1, last = -1, previous = -1;
    int respelling = 0;
    /* 1 when the first byte of the block is escaped (by a backslash that ended the last one). */
    uint64_t prev_escaped = 0;
    const uint64_t even_bits = 0x5555555555555555ULL;
    for (size_t i = start; i < n; i += 64) {
        /* 64 bytes at a time; the last block is copied into zeros (no quote, backslash, `u` or `/`). */
        unsigned char padded[64];
        const unsigned char *q = s + i;
        size_t left = n - i;
        if (left < 64) {
            memset(padded, 0, sizeof padded);
            memcpy(padded, q, left);
            q = padded;
        }
        uint64_t quote = eq64_bytes(q, '"'), backslash = eq64_bytes(q, '\\');
        uint64_t respelled = eq64_bytes(q, 'u') | eq64_bytes(q, '/');
        /* The escaped bytes, from the runs of backslashes (simdjson's branchless rule). */
        backslash &= ~prev_escaped;
        uint64_t follows_escape = (backslash << 1) | prev_escaped;
        uint64_t odd_sequence_starts = backslash & ~even_bits & ~follows_escape;
        uint64_t sequences_starting_on_even_bits;
        uint64_t carry = (uint64_t)__builtin_add_overflow(odd_sequence_starts, backslash, &sequences_starting_on_even_bits);
        uint64_t escaped = (even_bits ^ (sequences_starting_on_even_bits << 1)) & follows_escape;
        /* An escape's backslash is one not itself escaped; the value ends at the first quote that is not. */
        uint64_t starts = backslash & ~escaped;
        uint64_t ends = quote & ~escaped;
        uint64_t before = ends ? (ends & (0 - ends)) - 1 : ~0ULL;
        uint64_t mine = starts & before;
        /* A `u` or `/` escaped by one of them (the first byte's backslash was in the last block). */
        if (escaped & respelled & ((mine << 1) | prev_escaped)) respelling = 1;
        if (mine) {
            int top = 63 - __builtin_clzll(mine);
            if (first < 0) first = (long)(i + (size_t)__builtin_ctzll(mine));
            uint64_t rest = mine & ~(1ULL << top);
            previous = rest ? (long)(i + (size_t)(63 - __builtin_clzll(rest))) : last;
            last = (long)(i + (size_t)top);
            escapes += __builtin_popcountll(mine);
        }
        if (ends) {
            out->escapes = escapes;
            out->first = first;
            out->last = last;
            out->previous = previous;
            out->respelling = respelling;
            return (long)(i + (size_t)__builtin_ctzll(ends));
        }
        prev_escaped = carry;
    }
    return -1;
}
