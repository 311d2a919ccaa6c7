/* The intrusion-log reader (spec/android.md §1.6): folders walked with
 * their ZIPs, ZIP files with ZIPs inside, the AndroidQF intrusion_logs/
 * folder (folder and ZIP parents, zone from getprop.txt), de-duplication
 * across files, bad lines warned with their number, unknown types, invalid
 * UTF-8, and event times in ms and ns in a zone with DST and in UTC. */
#include "acquire/android.h"
#include "acquire/intrusion_logs.h"
#include "acquire/intrusion_logs_internal.h"
#include "acquire/stream.h"
#include "android_fixture.h"
#include "core/error.h"
#include "core/log.h"
#include "testutil.h"
#include "zip_fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *root;
static char *log_text;
static size_t log_len;
static FILE *log_mem;

static int setup(void **state)
{
    (void)state;
    root = tu_mkdtemp();
    spy_log_set_quiet(true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(root);
    free(root);
    return 0;
}

/* Console lines of what runs between capture() and captured(). */
static void capture(void)
{
    log_mem = open_memstream(&log_text, &log_len);
    spy_log_set_quiet(false);
    spy_log_set_console(log_mem);
}

static char *captured(void)
{
    spy_log_set_console(stderr);
    spy_log_set_quiet(true);
    fclose(log_mem);
    return log_text;
}

static void assert_logged(const char *log, const char *what)
{
    if (!strstr(log, what))
        fail_msg("not logged: %s\nlog:\n%s", what, log);
}

static const json_t *bucket(const spy_acq *a, const char *type)
{
    const json_t *ev = NULL;
    assert_int_equal(spy_intrusion_events(a, type, &ev), SPY_OK);
    assert_non_null(ev);
    assert_true(json_is_array(ev));
    return ev;
}

static const char *field(const json_t *events, size_t i, const char *key)
{
    const char *s = json_string_value(json_object_get(json_array_get(events, i), key));
    assert_non_null(s);
    return s;
}

/* The time of events[i] as the reader gives it ("null" for JSON null). */
static void assert_time(const spy_acq *a, const json_t *events, size_t i, bool ns, const char *want)
{
    json_t *t =
        spy_intrusion_timestamp(a, json_object_get(json_array_get(events, i), "event_time"), ns);
    assert_string_equal(json_is_null(t) ? "null" : json_string_value(t), want);
    json_decref(t);
}

#define DNS_A                                                                                      \
    "{\"dns_event\": {\"event_time\": 1735786800000, \"hostname\": \"www.example.org\", "          \
    "\"ip_addresses\": [\"/93.184.215.14\"], \"package_name\": \"com.android.chrome\"}}"
/* The same event, keys in another order, as the next day's file repeats it. */
#define DNS_A_AGAIN                                                                                \
    "{\"dns_event\": {\"package_name\": \"com.android.chrome\", \"hostname\": "                    \
    "\"www.example.org\", \"ip_addresses\": [\"/93.184.215.14\"], \"event_time\": 1735786800000}}"
#define CONNECT_A                                                                                  \
    "{\"connect_event\": {\"event_time\": 1751425200123, \"ip_address\": \"/142.250.74.36\", "     \
    "\"port\": 443, \"package_name\": \"com.android.chrome\"}}"
#define SECURITY_A                                                                                 \
    "{\"security_event\": {\"event_id\": 210005, \"event_time\": 1751425200123456789, "            \
    "\"app_process_start\": {\"process\": \"com.whatsapp\", \"uid\": 10123, \"pid\": 4242}}}"

static void test_folder_lines_duplicates_and_warnings(void **state)
{
    (void)state;
    char *dir = tu_join(root, "logs");
    af_write_str(dir, "2025-01-02.txt",
                 DNS_A "\n"
                       "\n"
                       "this is not json\n" CONNECT_A "\r\n"
                       "[1, 2]\n"
                       "   {\"vpn_event\": {\"event_time\": 1}, \"dns_event\": 7}   \n"
                       "{\"dns_event\": {\"event_time\": 17357868");
    af_write_str(dir, "more/2025-01-03.TXT",
                 DNS_A_AGAIN "\n" SECURITY_A "\n{\"zz_event\": {\"x\": true}}\n");
    /* Only .txt files are logs; a ZIP in the folder is walked. */
    af_write_str(dir, "notes.json", DNS_A "\n");
    /* Invalid UTF-8 inside a value: the bytes are dropped (MVT reads with
     * errors="ignore"), the line still parses. */
    af_write_str(
        dir, "utf8.txt",
        "{\"dns_event\": {\"event_time\": 0, \"hostname\": \"bad\xff\xfe-utf8.example\"}}\n");
    spy_acq a = {0};
    capture();
    assert_int_equal(spy_intrusion_logs_open(dir, NULL, &a), SPY_OK);
    char *log = captured();
    assert_int_equal(a.kind, SPY_ACQ_ANDROID_INTRUSION_LOGS);
    const json_t *dns = bucket(&a, "dns_event");
    assert_int_equal(json_array_size(dns), 2);
    const char *h0 = field(dns, 0, "hostname"), *h1 = field(dns, 1, "hostname");
    /* Folder order is the OS's: compare as a set. */
    bool first_is_a = !strcmp(h0, "www.example.org");
    assert_string_equal(first_is_a ? h1 : h0, "bad-utf8.example");
    assert_string_equal(first_is_a ? h0 : h1, "www.example.org");
    assert_int_equal(json_array_size(bucket(&a, "connect_event")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(bucket(&a, "connect_event"), 0), "port")),
        443);
    const json_t *sec = bucket(&a, "security_event");
    assert_int_equal(json_array_size(sec), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(sec, 0), "app_process_start"), "pid")),
                     4242);
    assert_int_equal(json_array_size(bucket(&a, "vpn_event")), 1);
    assert_int_equal(json_array_size(bucket(&a, "never_seen")), 0);
    assert_logged(log, "Failed to parse JSON on line 3 in 2025-01-02.txt");
    assert_logged(log, "Error processing line 5 in 2025-01-02.txt: not a JSON object");
    assert_logged(log, "Failed to parse JSON on line 7 in 2025-01-02.txt");
    assert_logged(log, "Removed 1 duplicate event(s) seen across multiple log files");
    assert_logged(log, "Loaded 3 log files, parsed 10 lines (3 skipped)");
    assert_logged(log, "Found unknown intrusion logging event type(s): vpn_event, zz_event. Please "
                       "open an issue on GitHub so MVT can add support for them.");
    assert_null(strstr(log, "notes.json"));
    free(log);
    /* Parsed while opening: the modules asking log nothing more. */
    capture();
    bucket(&a, "dns_event");
    bucket(&a, "security_event");
    log = captured();
    assert_string_equal(log, "");
    free(log);
    spy_acq_close(&a);
    free(dir);
}

/* Duplicates are what MVT's json.dumps(sort_keys=True) calls equal: member
 * order does not matter; 1 and 1.0, array order, an extra member or a
 * repeated key (the last wins) do. Lines break where Python's splitlines()
 * breaks them and are trimmed as str.strip() trims. */
static void test_parser_fingerprints_and_lines(void **state)
{
    (void)state;
    char text[] = "{\"a\": {\"x\": 1, \"y\": [1, \"s\"]}}\n"
                  "{\"b\": {\"y\": [1, \"s\"], \"x\": 1}}\n"
                  "{\"a\": {\"x\": 1.0, \"y\": [1, \"s\"]}}\n"
                  "{\"a\": {\"x\": 1, \"y\": [\"s\", 1]}}\n"
                  "{\"a\": {\"x\": 1, \"y\": [1, \"s\"], \"z\": null}}\n"
                  "{\"a\": {\"x\": \"1\", \"y\": [1, \"s\"]}}\n"
                  "{\"a\": {\"x\": 1, \"x\": 2, \"y\": [1, \"s\"]}}\v"
                  "{\"a\": {\"x\": 2, \"y\": [1, \"s\"]}}\r"
                  "\xe3\x80\x80{\"c\": {\"s\": \"ideographic spaces trimmed\"}}\xe3\x80\x80\n"
                  "{\"c\": {\"s\": \"split\xe2\x80\xa8here\"}}\n"
                  "\"just a string\"\n";
    il_parse p;
    il_parse_init(&p);
    capture();
    il_parse_text(&p, "unit.txt", text, strlen(text));
    char *log = captured();
    const json_t *a = json_object_get(p.buckets, "a");
    assert_int_equal(json_array_size(a), 6);
    assert_null(json_object_get(p.buckets, "b"));
    assert_int_equal(p.duplicates, 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 5), "x")), 2);
    assert_true(json_is_real(json_object_get(json_array_get(a, 1), "x")));
    const json_t *c = json_object_get(p.buckets, "c");
    assert_int_equal(json_array_size(c), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "s")),
                        "ideographic spaces trimmed");
    assert_int_equal(p.lines, 12);
    assert_int_equal(p.skipped, 3);
    assert_logged(log, "Failed to parse JSON on line 10 in unit.txt");
    assert_logged(log, "Failed to parse JSON on line 11 in unit.txt");
    assert_logged(log, "Error processing line 12 in unit.txt: not a JSON object");
    free(log);
    il_parse_free(&p);
}

/* Kept events share equal strings and small integers (memory), and
 * still read exactly as written: "7" stays a string beside 7. */
static void test_shared_values(void **state)
{
    (void)state;
    char text[] = "{\"a\": {\"pkg\": \"com.example\", \"uid\": 10001, \"t\": 1735786800000}}\n"
                  "{\"b\": {\"pkg\": \"com.example\", \"uid\": 10001, \"t\": 1735786800000, "
                  "\"l\": [\"7\", 7, 10001]}}\n";
    il_parse p;
    il_parse_init(&p);
    il_parse_text(&p, "s.txt", text, strlen(text));
    const json_t *a = json_array_get(json_object_get(p.buckets, "a"), 0);
    const json_t *b = json_array_get(json_object_get(p.buckets, "b"), 0);
    assert_ptr_equal(json_object_get(a, "pkg"), json_object_get(b, "pkg"));
    assert_ptr_equal(json_object_get(a, "uid"), json_object_get(b, "uid"));
    const json_t *l = json_object_get(b, "l");
    assert_ptr_equal(json_array_get(l, 2), json_object_get(a, "uid"));
    /* times are not shared (each is its own) */
    assert_ptr_not_equal(json_object_get(a, "t"), json_object_get(b, "t"));
    assert_int_equal(json_integer_value(json_object_get(b, "t")), 1735786800000);
    assert_string_equal(json_string_value(json_array_get(l, 0)), "7");
    assert_int_equal(json_integer_value(json_array_get(l, 1)), 7);
    char *dump = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(dump, "{\"l\":[\"7\",7,10001],\"pkg\":\"com.example\","
                              "\"t\":1735786800000,\"uid\":10001}");
    free(dump);
    il_parse_free(&p);
}

/* A stream handing out at most `piece` bytes a read. */
typedef struct piece_stream {
    spy_stream base;
    const char *text;
    size_t len, at, piece;
} piece_stream;

static int piece_read(spy_stream *s, void *buf, size_t cap, size_t *got)
{
    piece_stream *ps = (piece_stream *)s;
    size_t n = ps->len - ps->at;
    n = n < ps->piece ? n : ps->piece;
    n = n < cap ? n : cap;
    memcpy(buf, ps->text + ps->at, n);
    ps->at += n;
    *got = n;
    return SPY_OK;
}

static void piece_close(spy_stream *s)
{
    (void)s;
}

/* Read a piece at a time, a file gives what it gives read whole: '\r\n'
 * and U+2028 and invalid bytes cut between reads, a line longer than the
 * read buffer, a last line without its break. */
static void test_stream_same_as_whole(void **state)
{
    (void)state;
    size_t long_len = 600 * 1024;
    char *long_host = malloc(long_len + 1);
    memset(long_host, 'a', long_len);
    long_host[long_len] = '\0';
    char *text = NULL;
    size_t text_len = 0;
    FILE *f = open_memstream(&text, &text_len);
    fprintf(f,
            DNS_A "\r\n" CONNECT_A "\r\r\n"
                  "{\"c\": {\"s\": \"split\xe2\x80\xa8here\"}}\n"
                  "{\"c\": {\"s\": \"bad\xff\xe2\x80-utf8 \xc3\xa9\"}}\xe3\x80\x80\n"
                  "not json\x0b"
                  "{\"dns_event\": {\"hostname\": \"%s\"}}\n" SECURITY_A "\r",
            long_host);
    fclose(f);
    free(long_host);
    il_parse whole;
    il_parse_init(&whole);
    char *copy = malloc(text_len + 1);
    memcpy(copy, text, text_len + 1);
    il_parse_text(&whole, "t.txt", copy, text_len);
    free(copy);
    assert_int_equal(whole.lines, 8);
    assert_int_equal(whole.skipped, 3); /* both halves of the split line, "not json" */
    static const size_t pieces[] = {1, 2, 3, 5, 4096, 1u << 20};
    for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
        /* one byte at a time, only over the short lines (the long one would
         * be slow, not different) */
        size_t len = pieces[k] < 4096 ? strlen(DNS_A) + 400 : text_len;
        piece_stream ps = {{.read = piece_read, .close = piece_close}, text, len, 0, pieces[k]};
        il_parse p, w;
        il_parse_init(&p);
        il_parse_init(&w);
        capture();
        assert_int_equal(il_parse_stream(&p, "t.txt", &ps.base), SPY_OK);
        char *log_p = captured();
        char *part = malloc(len + 1);
        memcpy(part, text, len);
        capture();
        il_parse_text(&w, "t.txt", part, len);
        char *log_w = captured();
        free(part);
        /* the warnings too: they give line numbers */
        assert_non_null(strstr(log_w, "Failed to parse JSON on line"));
        assert_string_equal(log_p, log_w);
        free(log_p);
        free(log_w);
        if (!json_equal(p.buckets, w.buckets) || p.lines != w.lines || p.skipped != w.skipped)
            fail_msg("a stream read %zu bytes at a time differs", pieces[k]);
        if (len == text_len)
            assert_true(json_equal(p.buckets, whole.buckets));
        assert_int_equal(p.files, 1);
        il_parse_free(&p);
        il_parse_free(&w);
    }
    assert_int_equal(
        strlen(json_string_value(json_object_get(
            json_array_get(json_object_get(whole.buckets, "dns_event"), 1), "hostname"))),
        long_len);
    il_parse_free(&whole);
    free(text);
}

static void test_times_ms_ns_zone_and_utc(void **state)
{
    (void)state;
    char *dir = tu_join(root, "times");
    af_write_str(dir, "t.txt",
                 DNS_A
                 "\n" CONNECT_A "\n" SECURITY_A "\n"
                 "{\"security_event\": {\"event_time\": 1735786800999999999, "
                 "\"keyguard_dismissed\": {}}}\n"
                 "{\"dns_event\": {\"hostname\": \"no-time.example\"}}\n"
                 "{\"dns_event\": {\"event_time\": 0, \"hostname\": \"zero.example\"}}\n"
                 "{\"dns_event\": {\"event_time\": \"soon\", \"hostname\": \"text.example\"}}\n");
    spy_acq a = {0};
    assert_int_equal(spy_intrusion_logs_open(dir, "Europe/Berlin", &a), SPY_OK);
    const json_t *dns = bucket(&a, "dns_event"), *con = bucket(&a, "connect_event"),
                 *sec = bucket(&a, "security_event");
    assert_time(&a, dns, 0, false, "2025-01-02 04:00:00.000000"); /* CET, +1 */
    assert_time(&a, con, 0, false, "2025-07-02 05:00:00.123000"); /* CEST, +2 */
    assert_time(&a, sec, 0, true, "2025-07-02 05:00:00.123457");  /* ns, rounded as MVT */
    assert_time(&a, sec, 1, true, "2025-01-02 04:00:01.000000");
    assert_time(&a, dns, 1, false, "null");
    assert_time(&a, dns, 2, false, "null");
    assert_time(&a, dns, 3, false, "null");
    /* Milliseconds read as nanoseconds are a different time: the unit matters. */
    assert_time(&a, dns, 0, true, "1970-01-01 01:28:55.786800");
    spy_acq_close(&a);

    spy_acq u = {0};
    assert_int_equal(spy_intrusion_logs_open(dir, NULL, &u), SPY_OK);
    dns = bucket(&u, "dns_event");
    sec = bucket(&u, "security_event");
    assert_time(&u, dns, 0, false, "2025-01-02 03:00:00.000000");
    assert_time(&u, sec, 0, true, "2025-07-02 03:00:00.123457");
    spy_acq_close(&u);

    capture();
    spy_acq bad = {0};
    assert_int_equal(spy_intrusion_logs_open(dir, "Mars/Olympus_Mons", &bad), SPY_OK);
    char *log = captured();
    assert_logged(log, "Could not apply device timezone 'Mars/Olympus_Mons', falling back to UTC");
    free(log);
    assert_time(&bad, bucket(&bad, "dns_event"), 0, false, "2025-01-02 03:00:00.000000");
    spy_acq_close(&bad);
    free(dir);
}

/* A ZIP with logs at two depths, a ZIP inside it, and hostile members. */
static void *logs_zip(size_t *len)
{
    zf_zip *inner = zf_new();
    zf_add_str(inner, "2025-01-03.txt", SECURITY_A "\n");
    zf_add_str(inner, "readme.md", DNS_A "\n");
    size_t ilen = 0;
    void *ibytes = zf_finish(inner, &ilen);
    zf_zip *z = zf_new();
    zf_add_dir(z, "Intrusion Logging/");
    zf_add_str(z, "Intrusion Logging/2025-01-02.txt", DNS_A "\n");
    zf_add_str(z, "Intrusion Logging/old/2025-01-01.Txt", DNS_A_AGAIN "\n" CONNECT_A "\n");
    zf_add(z, "Intrusion Logging/archive.ZIP", ibytes, ilen, 0);
    zf_add_str(z, "Intrusion Logging/broken.zip", "PK\3\4 not really a zip");
    zf_add_str(z, "../escape.txt", "{\"dns_event\": {\"hostname\": \"escape.example\"}}\n");
    zf_add_symlink(z, "Intrusion Logging/link.txt", "/etc/passwd");
    free(ibytes);
    return zf_finish(z, len);
}

static void test_zip_file_nested_and_hostile(void **state)
{
    (void)state;
    size_t len = 0;
    void *bytes = logs_zip(&len);
    char *path = tu_join(root, "logs.ZIP");
    tu_write(path, bytes, len);
    free(bytes);
    capture();
    spy_acq a = {0};
    assert_int_equal(spy_intrusion_logs_open(path, "UTC", &a), SPY_OK);
    const json_t *dns = bucket(&a, "dns_event");
    char *log = captured();
    assert_int_equal(json_array_size(dns), 1);
    assert_string_equal(field(dns, 0, "hostname"), "www.example.org");
    assert_int_equal(json_array_size(bucket(&a, "connect_event")), 1);
    assert_int_equal(json_array_size(bucket(&a, "security_event")), 1);
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_array_get(bucket(&a, "security_event"), 0), "app_process_start"),
            "process")),
        "com.whatsapp");
    assert_logged(log, "Skipping invalid zip: Intrusion Logging/broken.zip");
    assert_logged(log, "../escape.txt");
    assert_logged(log, "Removed 1 duplicate event(s)");
    assert_logged(log, "Loaded 3 log files, parsed 4 lines (0 skipped)");
    assert_null(strstr(log, "escape.example"));
    free(log);
    spy_acq_close(&a);
    free(path);
}

/* ZIPs in ZIPs are opened in memory down to a bounded depth: four levels
 * of ZIP are read, a fifth is skipped with a warning. */
static void test_zip_depth_bound(void **state)
{
    (void)state;
    static const char *const hosts[] = {"d5.example", "d4.example", "d3.example", "d2.example",
                                        "d1.example"};
    void *bytes = NULL;
    size_t len = 0;
    for (size_t i = 0; i < 5; i++) {
        zf_zip *z = zf_new();
        char line[128];
        snprintf(line, sizeof line, "{\"dns_event\": {\"hostname\": \"%s\"}}\n", hosts[i]);
        zf_add_str(z, "log.txt", line);
        if (bytes)
            zf_add(z, "deeper.zip", bytes, len, 0);
        free(bytes);
        bytes = zf_finish(z, &len);
    }
    char *path = tu_join(root, "deep.zip");
    tu_write(path, bytes, len);
    free(bytes);
    spy_acq a = {0};
    capture();
    assert_int_equal(spy_intrusion_logs_open(path, NULL, &a), SPY_OK);
    char *log = captured();
    const json_t *dns = bucket(&a, "dns_event");
    assert_int_equal(json_array_size(dns), 4);
    assert_string_equal(field(dns, 0, "hostname"), "d1.example");
    assert_string_equal(field(dns, 3, "hostname"), "d4.example");
    assert_logged(log, "Skipping deeper.zip::deeper.zip::deeper.zip::deeper.zip: ZIP archives "
                       "nested more than 4 deep");
    free(log);
    spy_acq_close(&a);
    free(path);
}

static void test_folder_with_zips(void **state)
{
    (void)state;
    char *dir = tu_join(root, "withzips");
    size_t len = 0;
    void *bytes = logs_zip(&len);
    af_write(dir, "export.zip", bytes, len);
    free(bytes);
    af_write_str(dir, "junk.zip", "not a zip at all");
    af_write_str(dir, "today.txt", "{\"dns_event\": {\"hostname\": \"today.example\"}}\n");
    capture();
    spy_acq a = {0};
    assert_int_equal(spy_intrusion_logs_open(dir, NULL, &a), SPY_OK);
    assert_int_equal(json_array_size(bucket(&a, "dns_event")), 2);
    assert_int_equal(json_array_size(bucket(&a, "security_event")), 1);
    char *log = captured();
    assert_logged(log, "Skipping invalid zip: junk.zip");
    assert_logged(log, "Skipping invalid zip: export.zip::Intrusion Logging/broken.zip");
    assert_logged(log, "Loaded 4 log files");
    free(log);
    spy_acq_close(&a);
    free(dir);
}

static void test_wrong_inputs(void **state)
{
    (void)state;
    spy_acq a = {0};
    char *missing = tu_join(root, "nothing-here");
    assert_int_equal(spy_intrusion_logs_open(missing, NULL, &a), SPY_ENOTFOUND);
    char *txt = tu_join(root, "log.txt");
    tu_write_str(txt, DNS_A "\n");
    assert_int_equal(spy_intrusion_logs_open(txt, NULL, &a), SPY_EFORMAT);
    char *fake = tu_join(root, "fake.zip");
    tu_write_str(fake, "plain text, not an archive");
    assert_int_equal(spy_intrusion_logs_open(fake, NULL, &a), SPY_EFORMAT);
    assert_null(a.impl);
    /* Events of another kind of acquisition are refused, not misread. */
    const json_t *ev = NULL;
    spy_acq other = {.kind = SPY_ACQ_ANDROIDQF};
    assert_int_not_equal(spy_intrusion_events(&other, "dns_event", &ev), SPY_OK);
    free(missing);
    free(txt);
    free(fake);
}

#define GETPROP_BERLIN "[ro.build.version.release]: [16]\n[persist.sys.timezone]: [Europe/Berlin]\n"

static void test_nested_in_androidqf_folder(void **state)
{
    (void)state;
    char *qf = af_androidqf_dir(root);
    af_write_str(qf, "getprop.txt", GETPROP_BERLIN);
    af_write_str(qf, "intrusion_logs/2025-01-02.txt", DNS_A "\n" CONNECT_A "\n");
    zf_zip *z = zf_new();
    zf_add_str(z, "2025-01-03.txt", SECURITY_A "\n" DNS_A_AGAIN "\n");
    size_t len = 0;
    void *bytes = zf_finish(z, &len);
    af_write(qf, "intrusion_logs/older.zip", bytes, len);
    free(bytes);
    /* Logs elsewhere in the acquisition are not intrusion logs. */
    af_write_str(qf, "tmp/other.txt", "{\"dns_event\": {\"hostname\": \"tmp.example\"}}\n");
    spy_acq parent = {0}, nested = {0};
    assert_int_equal(spy_androidqf_open(qf, &parent), SPY_OK);
    assert_int_equal(spy_androidqf_open_nested_intrusion_logs(&parent, &nested), SPY_OK);
    assert_int_equal(nested.kind, SPY_ACQ_ANDROID_INTRUSION_LOGS);
    const json_t *dns = bucket(&nested, "dns_event");
    assert_int_equal(json_array_size(dns), 1);
    assert_string_equal(field(dns, 0, "hostname"), "www.example.org");
    assert_time(&nested, dns, 0, false, "2025-01-02 04:00:00.000000");
    assert_time(&nested, bucket(&nested, "security_event"), 0, true, "2025-07-02 05:00:00.123457");
    spy_acq_close(&nested);
    spy_acq_close(&parent);
    free(qf);
}

static void test_nested_in_androidqf_zip(void **state)
{
    (void)state;
    zf_zip *z = zf_new();
    zf_add_str(z, AF_QF_UUID "/getprop.txt", "[ro.build.version.release]: [16]\n");
    zf_add_str(z, AF_QF_UUID "/packages.json", "[]");
    zf_add_str(z, AF_QF_UUID "/intrusion_logs/a.txt", DNS_A "\nnot json\n");
    zf_add_str(z, AF_QF_UUID "/intrusion_logs/sub/b.txt", CONNECT_A "\n");
    char *path = tu_join(root, "qf.zip");
    zf_finish_to(z, path);
    spy_acq parent = {0}, nested = {0};
    assert_int_equal(spy_androidqf_open(path, &parent), SPY_OK);
    capture();
    assert_int_equal(spy_androidqf_open_nested_intrusion_logs(&parent, &nested), SPY_OK);
    char *log = captured();
    const json_t *dns = bucket(&nested, "dns_event");
    /* No zone in getprop.txt: UTC. */
    assert_time(&nested, dns, 0, false, "2025-01-02 03:00:00.000000");
    assert_int_equal(json_array_size(bucket(&nested, "connect_event")), 1);
    assert_logged(log, "Failed to parse JSON on line 2 in a.txt");
    assert_logged(log, "Loaded 2 log files, parsed 3 lines (1 skipped)");
    free(log);
    spy_acq_close(&nested);
    spy_acq_close(&parent);

    /* None at all: nothing to run, no warning. */
    zf_zip *z2 = zf_new();
    zf_add_str(z2, AF_QF_UUID "/getprop.txt", GETPROP_BERLIN);
    zf_add_str(z2, AF_QF_UUID "/not_intrusion_logs.txt", DNS_A "\n");
    char *path2 = tu_join(root, "qf2.zip");
    zf_finish_to(z2, path2);
    assert_int_equal(spy_androidqf_open(path2, &parent), SPY_OK);
    capture();
    assert_int_equal(spy_androidqf_open_nested_intrusion_logs(&parent, &nested), SPY_ENOTFOUND);
    log = captured();
    assert_string_equal(log, ""); /* not even the totals: nothing was parsed */
    free(log);
    spy_acq_close(&parent);
    free(path);
    free(path2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder_lines_duplicates_and_warnings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_fingerprints_and_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_same_as_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_times_ms_ns_zone_and_utc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_file_nested_and_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_depth_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_with_zips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_in_androidqf_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_in_androidqf_zip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
