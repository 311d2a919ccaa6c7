/* Manifest.db MBFile blobs: the fast path (spy_nska_mbfile) against the
 * generic path (spy_bplist_parse + spy_nska_decode + field lookups).
 * Usage: bench_bplist [decodes] (default 400000, the size of a large
 * backup's Files table). Blobs are generated with the test fixture writer,
 * compiled in here because bench programs link only spycore. */
#include "../tests/lib/bplist_writer.c"

#include "core/error.h"
#include "core/nska.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DISTINCT 20000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct blob {
    uint8_t *b;
    size_t n;
} blob;

static void make_blobs(blob *bl)
{
    static const uint8_t ek[44] = {3, 0, 0, 0, 0x11, 0x22};
    char path[160];
    for (int i = 0; i < DISTINCT; i++) {
        snprintf(path, sizeof path, "Library/Application Support/com.example.app%d/Cache/%08x.db",
                 i % 97, (unsigned)i * 2654435761u);
        bpw_mbfile m = {.relative_path = path,
                        .size = (int64_t)i * 4099,
                        .mode = 0100644,
                        .user_id = 501,
                        .group_id = 501,
                        .inode = 100000 + i,
                        .protection_class = 3,
                        .birth = 1600000000 + i,
                        .last_modified = 1600000100 + i,
                        .last_status_change = 1600000200 + i,
                        .encryption_key = i % 2 ? ek : NULL,
                        .encryption_key_len = 44};
        bpw_mbfile_blob(&m, &bl[i].b, &bl[i].n);
    }
}

static int64_t run_fast(const blob *bl, long n)
{
    int64_t sum = 0;
    for (long i = 0; i < n; i++) {
        spy_mbfile f;
        const blob *b = &bl[i % DISTINCT];
        if (spy_nska_mbfile(b->b, b->n, &f, NULL) != SPY_OK)
            abort();
        sum += f.size + f.last_modified.unix_secs + (int64_t)strlen(f.relative_path);
        spy_mbfile_clear(&f);
    }
    return sum;
}

static int64_t run_generic(const blob *bl, long n)
{
    int64_t sum = 0;
    for (long i = 0; i < n; i++) {
        json_t *j = NULL;
        const blob *b = &bl[i % DISTINCT];
        if (spy_nska_decode_bytes(b->b, b->n, &j, NULL) != SPY_OK)
            abort();
        json_t *r = json_object_get(j, "root");
        sum += json_integer_value(json_object_get(r, "Size")) +
               json_integer_value(json_object_get(r, "LastModified")) +
               (int64_t)strlen(json_string_value(json_object_get(r, "RelativePath")));
        json_decref(j);
    }
    return sum;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 400000;
    blob *bl = calloc(DISTINCT, sizeof *bl);
    size_t bytes = 0;
    make_blobs(bl);
    for (int i = 0; i < DISTINCT; i++)
        bytes += bl[i].n;
    printf("%d distinct MBFile blobs, mean %zu bytes; %ld decodes per path\n", DISTINCT,
           bytes / DISTINCT, n);
    double t0 = now();
    int64_t s1 = run_fast(bl, n);
    double t1 = now();
    int64_t s2 = run_generic(bl, n);
    double t2 = now();
    if (s1 != s2)
        fprintf(stderr, "checksums differ: %lld vs %lld\n", (long long)s1, (long long)s2);
    printf("fast path   : %8.3f s  %10.0f blobs/s  %6.2f us/blob\n", t1 - t0, n / (t1 - t0),
           (t1 - t0) * 1e6 / n);
    printf("generic path: %8.3f s  %10.0f blobs/s  %6.2f us/blob\n", t2 - t1, n / (t2 - t1),
           (t2 - t1) * 1e6 / n);
    for (int i = 0; i < DISTINCT; i++)
        free(bl[i].b);
    free(bl);
    return s1 == s2 ? 0 : 1;
}
