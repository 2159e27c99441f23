/* The fault texts that may sit anywhere in a message (FaultRecognizer's anywhereNeedles):
 * "x509: ", "fork/exec " and "unknown time zone ". The vector scans (the line index of
 * vector_scan.c, the region search of fault_scan.c) test two bytes of each text at every
 * position, at offsets that the line index loads anyway (0, 3 and 5):
 *   'x' at 0 and '9' at 3 (x509), 'f' at 0 and 'k' at 3 (fork/exec), 'u' at 0 and 'w' at 5
 *   (unknown time zone);
 * pairs rare in logs, so few positions are compared in full (fault_text_starts_at). */
#ifndef NETDNS_FAULT_TEXT_H
#define NETDNS_FAULT_TEXT_H
#include <stddef.h>
#include <string.h>

/* The longest text: a position k is tested in full only where k + FAULT_TEXT_MAX <= n, or
 * (near the end) with the text's own length. */
#define FAULT_TEXT_MAX 18

/* Whether one of the texts starts at h[k] and ends before h[n]. */
static inline int fault_text_starts_at(const unsigned char *h, size_t k, size_t n) {
    switch (h[k]) {
    case 'x': return k + 6 <= n && memcmp(h + k, "x509: ", 6) == 0;
    case 'f': return k + 10 <= n && memcmp(h + k, "fork/exec ", 10) == 0;
    case 'u': return k + 18 <= n && memcmp(h + k, "unknown time zone ", 18) == 0;
    default: return 0;
    }
}

/* Whether position k holds the pair bytes of a text (every byte up to h[k + 5] readable). */
static inline int fault_pair_at(const unsigned char *h, size_t k) {
    return (h[k] == 'x' && h[k + 3] == '9') || (h[k] == 'f' && h[k + 3] == 'k') || (h[k] == 'u' && h[k + 5] == 'w');
}

#endif
