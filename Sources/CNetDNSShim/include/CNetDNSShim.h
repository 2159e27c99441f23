#ifndef CNETDNSSHIM_H
#define CNETDNSSHIM_H
#include <stddef.h>
#include <stdint.h>

/// glibc's memmem, declared here because Swift's Glibc module hides it behind _GNU_SOURCE.
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

/// glibc's memrchr (the last occurrence of a byte), hidden the same way.
void *memrchr(const void *s, int c, size_t n);

/// The first occurrence of `needle` (`m` bytes) in `haystack` (`n` bytes), or NULL.
///
/// A memmem for short needles in long text: 64 positions at a time are tested for two of
/// the needle's bytes (at offsets `a` and `b`, chosen rare in logs) with SSE2 or AVX2, and only
/// positions where both match are compared in full.
const void *netdns_find_pair(const void *haystack, size_t n, const void *needle, size_t m, size_t a, size_t b);

/// The newlines, the needles and the fault texts of `p[0, n)` in one pass: the offsets of the
/// newlines go to `newlines` (at most `cap`, `cap` >= 128), the offsets where `needle` (`m`
/// bytes, 1 to 64, tested first at its bytes `a` and `b`) starts go to `hits` (at most
/// `hit_cap`, >= 128; `*hit_count` tells how many), and, when `faults` is not NULL, the offsets
/// where one of the fault texts that may sit anywhere in a message ("x509: ", "fork/exec ",
/// "unknown time zone ") starts go to `faults` (at most `hit_cap`; `*fault_count`). Stops early,
/// at a 64-byte boundary, when a list could overflow; `*scanned` tells how many bytes were
/// examined: every newline, needle and text starting before it was listed (a text or needle
/// is listed only when it ends before `p + n`). Returns the number of newlines (0, with
/// `*scanned` 0, for arguments out of those ranges).
size_t netdns_index_lines(const void *p, size_t n, uint32_t *newlines, size_t cap,
                          const void *needle, size_t m, size_t a, size_t b,
                          uint32_t *hits, size_t hit_cap, size_t *hit_count,
                          uint32_t *faults, size_t *fault_count, size_t *scanned);

/// Which vector copies of the scans this processor runs: 2 AVX-512BW (and AVX2), 1 AVX2, 0
/// neither (SSE2 or plain loops). `NETDNS_AUDIT_NO_AVX512` in the environment caps it at 1.
int netdns_vector_level(void);

/// `netdns_index_lines` with the copy of `level` (capped at `netdns_vector_level()`): for
/// tests that compare the copies.
size_t netdns_index_lines_at(int level, const void *p, size_t n, uint32_t *newlines, size_t cap,
                             const void *needle, size_t m, size_t a, size_t b,
                             uint32_t *hits, size_t hit_cap, size_t *hit_count,
                             uint32_t *faults, size_t *fault_count, size_t *scanned);

/// Linux's getdents64: fills `buffer` with `struct linux_dirent64` records of the open directory
/// `fd` (d_ino at 0, d_reclen at 16, d_type at 18, the NUL-terminated name at 19); returns the
/// bytes filled, 0 at the end, -1 (errno set) on error (dir_scan.c).
long netdns_getdents64(int fd, void *buffer, size_t size);

/// The offset of the first `]` in `p[0, n)`, or `n`; `*slash` is the offset of the first `/`
/// before it, or `n` (a kubectl `[pod/POD/CONTAINER]` prefix in one pass).
size_t netdns_close_and_slash(const void *p, size_t n, size_t *slash);

/// How many bytes at the start of `p[0, n)` are `[0-9A-Za-z_.-]` (a compose container name).
size_t netdns_span_name(const void *p, size_t n);

/// How many bytes at the start of `p[0, n)` are none of a DNS name's stop bytes: control
/// bytes, space, `"`, `:`, `\` and DEL (`DNSFailureScanner.isNameStop`), 16 at a time.
size_t netdns_skip_dns_name(const void *p, size_t n);

/// The ends of a journald prefix's time, HOST and IDENT, in one pass over `p[from, n)`:
/// `ends[0]` the first space, `ends[1]` the first space after it, `ends[2]` the first `[`, `:`
/// or space after that; each `n` when absent.
void netdns_journald_ends(const void *p, size_t n, size_t from, size_t ends[3]);

/// The offset of the first of the bytes `a`, `b` and `c` in `p[0, n)`, or `n`.
size_t netdns_find_byte3(const void *p, size_t n, unsigned char a, unsigned char b, unsigned char c);

/// The escapes of a JSON string value (offsets of their backslashes, -1 for none).
typedef struct {
    long escapes;
    long first;
    long last;
    /// The escape before the last one.
    long previous;
    /// Whether an escape that can spell a byte of a searched text is among them: `\u` (any
    /// byte) or `\/` (the slash of `fork/exec `).
    int respelling;
} netdns_json_escapes;

/// The offset of the closing quote of a JSON string value whose text starts at `start`, or -1
/// when it is unterminated (a backslash escapes the byte after it); its escapes go to `*out`.
long netdns_json_string_end(const void *p, size_t n, size_t start, netdns_json_escapes *out);

/// ISA-L's inflate (gzip members), opened at run time (gzip_isal.c).
typedef struct netdns_isal netdns_isal;

/// NULL when ISA-L can be used, else why not.
const char *netdns_isal_unavailable(void);

/// A gzip decoder, or NULL when ISA-L cannot be used.
netdns_isal *netdns_isal_new(void);

/// Starts the next gzip member.
void netdns_isal_reset(netdns_isal *s);

void netdns_isal_free(netdns_isal *s);

/// Decodes from `*in` into `*out`, advancing both: 1 at the end of a member (its trailer checked),
/// 0 when more input or room is needed, a negative ISA-L error code otherwise.
int netdns_isal_inflate(netdns_isal *s, const unsigned char **in, uint32_t *avail_in, unsigned char **out, uint32_t *avail_out);

/// Whether `w` (a message's first four bytes, little-endian) is the start of an anchored fault
/// text or of a goroutine dump's first line: "exec" (runc, crun), "stan" (standard_init_linux.go),
/// "Erro" (musl's loader), "runt" (runtime: ...), "goro" (goroutine N), "SIGQ" (SIGQUIT: quit),
/// "fata" (fatal error:), "pani" (panic:). A perfect hash of the eight words onto eight slots:
/// one multiply and one compare.
static inline int netdns_is_fault_anchor(uint32_t w) {
    static const uint32_t words[8] = {
        0x51474953 /* SIGQ */, 0x6F727245 /* Erro */, 0x63657865 /* exec */, 0x61746166 /* fata */,
        0x696E6170 /* pani */, 0x6E617473 /* stan */, 0x6F726F67 /* goro */, 0x746E7572 /* runt */,
    };
    return words[(uint32_t)(w * 0xA5CD95E7u) >> 29] == w;
}

/// The first of the fault texts that may sit anywhere in a message ("x509: ", "fork/exec ",
/// "unknown time zone ") that starts in `haystack` and ends inside it (`n` bytes): a pointer to
/// its start, or NULL. The same test as `netdns_index_lines`'s, for callers without a line index.
const void *netdns_find_fault_text(const void *haystack, size_t n);

/// Returns 1 when the file descriptor refers to a terminal.
int netdns_isatty(int fd);

/// Enlarges a pipe's buffer (Linux F_SETPIPE_SZ); returns the new size or -1.
int netdns_set_pipe_size(int fd, int size);

/// The number of arguments the C runtime passed to main (glibc only; 0 when unknown).
int netdns_entry_argument_count(void);

/// Argument `i` as the C runtime passed it to main, or NULL.
const char *netdns_entry_argument(int i);

/// Makes every closed standard descriptor (0, 1, 2) refer to an O_PATH descriptor that
/// cannot be read or written, so that a later open does not take its number. Returns a bit
/// mask of the descriptors that were closed (1 << fd).
int netdns_reserve_standard_descriptors(void);

/// Whether the system libzstd (libzstd.so.1) could be loaded; it is looked for once.
int netdns_zstd_available(void);

/// A new zstd decompression stream, or NULL when libzstd is not available.
void *netdns_zstd_create(void);

/// Frees a stream from netdns_zstd_create.
void netdns_zstd_free(void *stream);

/// Decompresses from `in[*in_pos, in_size)` into `out[*out_pos, out_size)`, advancing both
/// positions. Returns 0 at the end of a frame, 1 when more input or output space is needed,
/// -1 on an error (then `*error` names it).
long netdns_zstd_decompress(void *stream, const void *in, size_t in_size, size_t *in_pos,
                            void *out, size_t out_size, size_t *out_pos, const char **error);

#endif
