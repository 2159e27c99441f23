/* The floor of reading a tree of many small files on this machine: the least a reader can do
 * (see floor.sh). Walks DIR with THREADS threads sharing one stack of directories; a directory
 * costs open + getdents64 + close, a file openat (relative to its directory) + read until a
 * short read + close, and its newlines are counted with memchr. No stat, no analysis, no
 * output but the totals: what any tool that reads every file must pay, whatever it does next.
 *
 *   tree_floor DIR [THREADS]       (prints files, bytes, lines and the wall seconds)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct linux_dirent64 { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static char **stack; static size_t depth, capacity; static int busy;
static uint64_t files, bytes, lines;

static void push(char *path) {
    if (depth == capacity) { capacity = capacity ? 2 * capacity : 1024; stack = realloc(stack, capacity * sizeof *stack); if (!stack) abort(); }
    stack[depth++] = path;
}

static void *worker(void *unused) {
    (void)unused;
    char *dents = malloc(1 << 16), *buf = malloc(1 << 16);
    uint64_t f = 0, b = 0, l = 0;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (depth == 0 && busy > 0) pthread_cond_wait(&more, &lock);
        if (depth == 0) { pthread_mutex_unlock(&lock); break; }
        char *dir = stack[--depth]; busy++;
        pthread_mutex_unlock(&lock);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            long n;
            while ((n = syscall(SYS_getdents64, dfd, dents, 1 << 16)) > 0) {
                for (long at = 0; at < n;) {
                    struct linux_dirent64 *e = (struct linux_dirent64 *)(dents + at);
                    at += e->reclen;
                    if (e->name[0] == '.' && (!e->name[1] || (e->name[1] == '.' && !e->name[2]))) continue;
                    if (e->type == DT_DIR) {
                        size_t dl = strlen(dir), nl = strlen(e->name);
                        char *sub = malloc(dl + nl + 2); if (!sub) abort();
                        memcpy(sub, dir, dl); sub[dl] = '/'; memcpy(sub + dl + 1, e->name, nl + 1);
                        pthread_mutex_lock(&lock); push(sub); pthread_cond_signal(&more); pthread_mutex_unlock(&lock);
                    } else if (e->type == DT_REG) {
                        int fd = openat(dfd, e->name, O_RDONLY | O_CLOEXEC);
                        if (fd < 0) continue;
                        ssize_t r;
                        while ((r = read(fd, buf, 1 << 16)) > 0) {
                            b += (uint64_t)r;
                            for (char *p = buf, *end = buf + r; (p = memchr(p, '\n', (size_t)(end - p))); p++) l++;
                            if (r < (1 << 16)) break;
                        }
                        close(fd);
                        f++;
                    }
                }
            }
            close(dfd);
        }
        free(dir);
        pthread_mutex_lock(&lock);
        busy--;
        if (depth == 0 && busy == 0) pthread_cond_broadcast(&more);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock); files += f; bytes += b; lines += l; pthread_mutex_unlock(&lock);
    free(dents); free(buf);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: tree_floor DIR [THREADS]\n"); return 2; }
    int threads = argc > 2 ? atoi(argv[2]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    push(strdup(argv[1]));
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%d threads: %llu files, %llu bytes, %llu lines in %.3f s\n", threads, (unsigned long long)files,
           (unsigned long long)bytes, (unsigned long long)lines, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
