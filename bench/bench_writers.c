/* Output-side throughput and memory: the JSON emitter alone on 400k
 * AQFFiles-shaped records (as jansson objects, then as flat records), 1M
 * module records (10 string fields) streamed into a results file, then 2M
 * timeline rows pushed through spy_timeline (one by one, then through a
 * batch) with spills forced, reporting peak RSS after 0.5M and 2M rows to
 * show that memory stays flat in the number of rows.
 * Usage: bench_writers [parent folder (default $TMPDIR or /tmp)] */
#include "core/error.h"
#include "core/flat.h"
#include "core/json_emit.h"
#include "core/log.h"
#include "core/outdir.h"
#include "core/results_file.h"
#include "core/writers.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define N_RECORDS 1000000L
#define N_ROWS    2000000L
#define RUN_BYTES (16u * 1024u * 1024u)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static long cur_rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static long file_size(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* A record shaped like an SMS/Safari history entry. */
static json_t *make_record(long i)
{
    char b[10][96];
    snprintf(b[0], sizeof b[0], "%ld", 100000 + i);
    snprintf(b[1], sizeof b[1], "https://www.example-%ld.com/path/to/page?id=%ld&ref=home", i % 977,
             i);
    snprintf(b[2], sizeof b[2], "2023-%02ld-%02ld %02ld:%02ld:%02ld.%06ld", i % 12 + 1, i % 28 + 1,
             i % 24, i % 60, (i / 60) % 60, i % 1000000);
    snprintf(b[3], sizeof b[3], "Caf\xc3\xa9 message number %ld with a \"quote\"", i);
    snprintf(b[4], sizeof b[4], "+4155501%04ld", i % 10000);
    snprintf(b[5], sizeof b[5], "%s", i % 2 ? "received" : "sent");
    snprintf(b[6], sizeof b[6], "iMessage");
    snprintf(b[7], sizeof b[7], "com.apple.MobileSMS");
    snprintf(b[8], sizeof b[8], "%08lx-%04lx-4abc-9def-%012lx", i * 2654435761u & 0xffffffff,
             i & 0xffff, i * 40503);
    snprintf(b[9], sizeof b[9], "Library/SMS/sms.db");
    static const char *keys[10] = {"ROWID",     "url",     "isodate",   "text", "phone_number",
                                   "direction", "service", "bundle_id", "guid", "path"};
    json_t *o = json_object();
    for (int k = 0; k < 10; k++)
        json_object_set_new_nocheck(o, keys[k], json_string_nocheck(b[k]));
    return o;
}

/* An aqf_files.json record (17 members: 14 strings, 3 integers). */
static json_t *make_aqf_record(long i)
{
    char b[3][96];
    snprintf(b[0], sizeof b[0], "/sdcard/mail/google/file_%ld.txt", i);
    snprintf(b[1], sizeof b[1], "u0_a%ld", i % 5000);
    snprintf(b[2], sizeof b[2], "2024-03-%02ld 12:%02ld:55.000000", i % 28 + 1, i % 60);
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(b[0]));
    json_object_set_new(o, "size", json_integer(988568 + i * 7919));
    json_object_set_new(o, "mode", json_string("-rw-rw----"));
    json_object_set_new(o, "user_id", json_integer(10000 + i % 5000));
    json_object_set_new(o, "user_name", json_string(b[1]));
    json_object_set_new(o, "group_id", json_integer(9997));
    json_object_set_new(o, "group_name", json_string("everybody"));
    json_object_set_new(o, "changed_time", json_string(b[2]));
    json_object_set_new(o, "modified_time", json_string(b[2]));
    json_object_set_new(o, "access_time", json_string(b[2]));
    json_object_set_new(o, "error", json_string(""));
    json_object_set_new(o, "context", json_string("u:object_r:media_rw_data_file:s0"));
    json_object_set_new(o, "sha1", json_string("273d2c91c3c1c26422fc9c4a616429f66ad23e7f"));
    json_object_set_new(o, "sha256",
                        json_string("e80270828bb737d93ff72065a20d370b5c00cf905d69dde0"
                                    "7615fe4d6dd91346"));
    json_object_set_new(o, "sha512", json_string(""));
    json_object_set_new(o, "md5", json_string("ea5e2e887e73da5ec584ea2c4f5fc68f"));
    json_object_set_new(o, "note", json_string(i % 97 ? "" : "caf\xc3\xa9 \"q\" \\ \t"));
    return o;
}

/* spy_jw_value alone, indent 4, into /dev/null: 400k records (4,000
 * distinct ones, so the records stay in cache and the figure is the
 * emitter's, not jansson's memory latency), best of 5. */
static void bench_emitter(void)
{
    enum { DISTINCT = 4000, N = 400000 };
    json_t **recs = malloc(DISTINCT * sizeof *recs);
    for (long i = 0; i < DISTINCT; i++)
        recs[i] = make_aqf_record(i);
    int fd = open("/dev/null", O_WRONLY);
    double best = 1e9;
    size_t bytes = 0;
    for (int r = 0; r < 5 && fd >= 0; r++) {
        spy_jw *m = spy_jw_new_mem(4); /* size of the text, outside the timing */
        spy_jw_value(m, recs[0]);
        bytes = 0;
        double t0 = now();
        spy_jw *w = spy_jw_new_fd(fd, 4);
        spy_jw_begin_array(w);
        for (long i = 0; i < N; i++)
            spy_jw_value(w, recs[i % DISTINCT]);
        spy_jw_end_array(w);
        spy_jw_finish(w);
        double dt = now() - t0;
        spy_jw_free(w);
        spy_jw_mem(m, &bytes);
        spy_jw_free(m);
        if (dt < best)
            best = dt;
    }
    if (fd >= 0)
        close(fd);
    printf("emitter alone: %d AQFFiles-shaped records (17 members, ~%zu bytes each) in %.3f s "
           "(best of 5) = %.0f ns/record, %.0f MB/s\n",
           N, bytes, best, best * 1e9 / N, (double)bytes * N / 1e6 / best);
    for (long i = 0; i < DISTINCT; i++)
        json_decref(recs[i]);
    free(recs);
}

/* The flat form of a jansson object of strings and integers, as the
 * AndroidQF reader makes it: plain bits known, one layout for all. */
static void to_flat(const json_t *o, uint64_t layout, spy_flat *r)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        size_t kl = strlen(k), ko = spy_flat_put(r, k, kl);
        unsigned plain = spy_flat_text_plain(k, kl) ? SPY_FLAT_KEY_PLAIN : 0;
        if (json_is_integer(v)) {
            spy_flat_add_plain(r, ko, kl, SPY_FLAT_INT, 0, 0, (int64_t)json_integer_value(v),
                               plain);
        } else {
            const char *s = json_string_value(v);
            size_t n = json_string_length(v), so = spy_flat_put(r, s, n);
            plain |= spy_flat_text_plain(s, n) ? SPY_FLAT_STR_PLAIN : 0;
            spy_flat_add_plain(r, ko, kl, SPY_FLAT_STR, so, n, 0, plain);
        }
    }
    spy_flat_seal(r);
    r->layout = layout;
}

/* spy_jw_flat alone on the same records as flat records (what AQFFiles
 * and DumpsysBatteryHistory write), same conditions as bench_emitter. */
static void bench_flat_emitter(void)
{
    enum { DISTINCT = 4000, N = 400000 };
    spy_flat *recs = calloc(DISTINCT, sizeof *recs);
    uint64_t layout = spy_flat_layout_new();
    for (long i = 0; i < DISTINCT; i++) {
        json_t *o = make_aqf_record(i);
        to_flat(o, layout, &recs[i]);
        json_decref(o);
    }
    int fd = open("/dev/null", O_WRONLY);
    double best = 1e9;
    for (int r = 0; r < 5 && fd >= 0; r++) {
        double t0 = now();
        spy_jw *w = spy_jw_new_fd(fd, 4);
        spy_jw_begin_array(w);
        for (long i = 0; i < N; i++)
            spy_jw_flat(w, &recs[i % DISTINCT]);
        spy_jw_end_array(w);
        spy_jw_finish(w);
        double dt = now() - t0;
        spy_jw_free(w);
        if (dt < best)
            best = dt;
    }
    if (fd >= 0)
        close(fd);
    printf("flat emitter alone: %d AQFFiles-shaped flat records (17 members) in %.3f s (best of "
           "5) = %.0f ns/record\n",
           N, best, best * 1e9 / N);
    for (long i = 0; i < DISTINCT; i++)
        spy_flat_free(&recs[i]);
    free(recs);
}

static int bench_results(spy_outdir *d)
{
    /* Building the jansson records alone, to tell emitter cost apart. */
    double tb = now();
    for (long i = 0; i < N_RECORDS; i++)
        json_decref(make_record(i));
    double build = now() - tb;
    double t0 = now();
    spy_results_file *r = spy_results_file_new(d, "sms", false);
    for (long i = 0; i < N_RECORDS; i++) {
        json_t *rec = make_record(i);
        int rc = spy_results_file_add(r, rec);
        json_decref(rec);
        if (rc != SPY_OK)
            return rc;
    }
    int rc = spy_results_file_close(r);
    double dt = now() - t0;
    long sz = file_size(spy_outdir_path(d), "sms.json");
    printf("results file: %ld records (10 string fields) in %.2f s = %.0f records/s, %.1f MB "
           "written (%.1f MB/s incl. building the records), peak RSS %ld KiB\n",
           N_RECORDS, dt, N_RECORDS / dt, sz / 1e6, sz / 1e6 / dt, peak_rss_kib());
    printf("results file: building the records alone takes %.2f s; emitter+write share "
           "%.2f s = %.0f records/s, %.1f MB/s\n",
           build, dt - build, N_RECORDS / (dt - build), sz / 1e6 / (dt - build));
    return rc;
}

/* Rows one by one (spy_timeline_add), or through a batch as modules add
 * them (spy_timeline_event). */
static int bench_timeline(spy_outdir *d, bool batch)
{
    const char *what = batch ? "timeline (batch)" : "timeline";
    spy_timeline *t;
    spy_timeline_new(&t, d, false);
    spy_timeline_set_run_bytes(t, RUN_BYTES);
    spy_timeline_batch *b = batch ? spy_timeline_batch_new(t) : NULL;
    double t0 = now();
    for (long i = 0; i < N_ROWS; i++) {
        char ts[40], desc[128];
        long j = (i * 7919) % N_ROWS; /* out of order on purpose */
        snprintf(ts, sizeof ts, "2023-%02ld-%02ld %02ld:%02ld:%02ld.%06ld", j % 12 + 1, j % 28 + 1,
                 j % 24, j % 60, (j / 60) % 60, j % 1000000);
        snprintf(desc, sizeof desc, "Visit to https://www.example-%ld.com/path?id=%ld", j % 977, j);
        const char *plugin = i % 3 ? "SafariHistory" : "SMS";
        int rc = b ? spy_timeline_batch_add(b, ts, plugin, "visit", desc)
                   : spy_timeline_add(t, ts, plugin, "visit", desc);
        if (rc != SPY_OK)
            return rc;
        if (i + 1 == N_ROWS / 4)
            printf("%s: after %ld rows: peak RSS %ld KiB, current RSS %ld KiB\n", what, i + 1,
                   peak_rss_kib(), cur_rss_kib());
    }
    int rc = spy_timeline_batch_free(b);
    if (rc != SPY_OK)
        return rc;
    double t1 = now();
    printf("%s: after %ld rows: peak RSS %ld KiB, current RSS %ld KiB\n", what, N_ROWS,
           peak_rss_kib(), cur_rss_kib());
    rc = spy_timeline_write(t);
    double t2 = now();
    spy_timeline_free(t);
    long sz = file_size(spy_outdir_path(d), "timeline.csv");
    printf("%s: add %.0f rows/s (%.2f s incl. spills, run size %u MiB), merge+write "
           "%.2f s (%.0f rows/s), %.1f MB CSV; overall %.0f rows/s; peak RSS at end %ld KiB\n",
           what, N_ROWS / (t1 - t0), t1 - t0, RUN_BYTES >> 20, t2 - t1, N_ROWS / (t2 - t1),
           sz / 1e6, N_ROWS / (t2 - t0), peak_rss_kib());
    return rc;
}

int main(int argc, char **argv)
{
    const char *parent = argc > 1 ? argv[1] : getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/spyscan-bench-XXXXXX", parent && *parent ? parent : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    spy_outdir *d;
    if (spy_outdir_open(&d, out, NULL, 0, false) != SPY_OK)
        return 1;
    printf("start: peak RSS %ld KiB\n", peak_rss_kib());
    bench_emitter();
    bench_flat_emitter();
    int rc = bench_timeline(d, false);
    if (rc == SPY_OK)
        rc = bench_timeline(d, true);
    if (rc == SPY_OK)
        rc = bench_results(d);
    int dfd = spy_outdir_fd(d);
    unlinkat(dfd, "sms.json", 0);
    unlinkat(dfd, "timeline.csv", 0);
    spy_outdir_close(d);
    rmdir(out);
    rmdir(dir);
    if (rc != SPY_OK)
        fprintf(stderr, "bench failed: %s\n", spy_err_str(rc));
    return rc == SPY_OK ? 0 : 1;
}
