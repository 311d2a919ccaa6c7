/* The bug report reader, folder and ZIP: member list in walk / central
 * directory order, Python-fnmatch globs, member times, bounded reads,
 * refused members (links, "..", absolute names), ZIP bombs and truncated
 * archives, wrong kinds of input, and an input tree left untouched. */
#include "acquire/android.h"
#include "android_fixture.h"
#include "core/error.h"
#include "core/log.h"
#include "testutil.h"
#include "zip_fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool spy_fnmatch(const char *pat, const char *s);              /* android_members.c */
bool andr_dos_iso(unsigned date, unsigned time, char out[32]); /* android_zip_dos.c */

static unsigned dos_date(unsigned y, unsigned m, unsigned d)
{
    return (y - 1980) << 9 | m << 5 | d;
}

static void test_dos_times_like_zipfile(void **state)
{
    (void)state;
    char out[32];
    assert_true(andr_dos_iso(dos_date(2024, 2, 29), 23u << 11 | 59u << 5 | 29u, out));
    assert_string_equal(out, "2024-02-29 23:59:58.000000");
    /* datetime() refuses these (MVT fails): no time rather than a wrong one. */
    assert_false(andr_dos_iso(0, 0, out)); /* month 0: a zeroed DOS date */
    assert_string_equal(out, "");
    assert_false(andr_dos_iso(dos_date(2023, 2, 29), 0, out));
    assert_false(andr_dos_iso(dos_date(2024, 13, 1), 0, out));
    assert_false(andr_dos_iso(dos_date(2024, 1, 1), 24u << 11, out));
    assert_false(andr_dos_iso(dos_date(2024, 1, 1), 60u << 5, out));
    assert_false(andr_dos_iso(dos_date(2024, 1, 1), 30u, out)); /* 60 seconds */
}

static char *root;

static int setup(void **state)
{
    (void)state;
    root = tu_mkdtemp();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(root);
    free(root);
    return 0;
}

static void test_fnmatch_is_pythons(void **state)
{
    (void)state;
    /* '*' crosses '/' (spec: "glob"). */
    assert_true(spy_fnmatch("*/getprop.txt", "acq/getprop.txt"));
    assert_true(spy_fnmatch("*/getprop.txt", "acq/x/y/getprop.txt"));
    assert_false(spy_fnmatch("*/getprop.txt", "getprop.txt"));
    assert_true(spy_fnmatch("FS/*", "FS/data/tombstones/tombstone_00"));
    assert_false(spy_fnmatch("FS/*", "xFS/a"));
    assert_true(spy_fnmatch("*/tombstone_*", "FS/data/tombstones/tombstone_07.pb"));
    assert_true(spy_fnmatch("dumpState_*.log", "dumpState_2024.log"));
    assert_false(spy_fnmatch("dumpState_*.log", "dumpState_2024.log.gz"));
    assert_true(spy_fnmatch("a?c", "abc"));
    assert_true(spy_fnmatch("a?c", "a/c"));
    assert_false(spy_fnmatch("a?c", "ac"));
    assert_true(spy_fnmatch("*", ""));
    assert_true(spy_fnmatch("**a*b", "xxaYYb"));
    assert_false(spy_fnmatch("*a*b", "xxaYYbc"));
    assert_true(spy_fnmatch("Main_entry.txt", "Main_entry.txt"));
    assert_false(spy_fnmatch("main_entry.txt", "Main_entry.txt")); /* case-sensitive */
    /* Classes: ranges, '!' negation, ']' first is a member, '-' first or
     * last is literal, an unclosed '[' is literal, a reversed range drops
     * both ends (Python's translate()). */
    assert_true(spy_fnmatch("settings_[a-s]*.txt", "settings_global.txt"));
    assert_false(spy_fnmatch("settings_[!g]*.txt", "settings_global.txt"));
    assert_true(spy_fnmatch("[]]", "]"));
    assert_true(spy_fnmatch("[!]]", "a"));
    assert_false(spy_fnmatch("[!]]", "]"));
    assert_true(spy_fnmatch("[-a]", "-"));
    assert_true(spy_fnmatch("[a-]", "-"));
    assert_true(spy_fnmatch("[ab", "[ab"));
    assert_false(spy_fnmatch("[ab", "a"));
    assert_false(spy_fnmatch("[z-a]", "m"));
    assert_true(spy_fnmatch("[bz-ac]", "c"));
    assert_false(spy_fnmatch("[bz-ac]", "z"));
    assert_true(spy_fnmatch("[c-a-z]", "-"));
    assert_false(spy_fnmatch("[c-a-z]", "b"));
    assert_true(spy_fnmatch("[a-c-e]", "-"));
    assert_false(spy_fnmatch("[a-c-e]", "d"));
    assert_true(spy_fnmatch("x[/]y", "x/y"));
    assert_true(spy_fnmatch("a\\b", "a\\b")); /* backslash is literal */
}

static char **paths_of(const spy_acq *acq, const char *glob, size_t *n)
{
    const char *globs[] = {glob, NULL};
    spy_query q = {.globs = globs};
    spy_artifacts arts = {0};
    assert_int_equal(spy_acq_find(acq, &q, &arts), SPY_OK);
    char **out = calloc(arts.n + 1, sizeof *out);
    for (size_t i = 0; i < arts.n; i++)
        out[i] = strdup(arts.v[i].path);
    *n = arts.n;
    spy_artifacts_free(&arts);
    return out;
}

static void free_paths(char **p)
{
    for (size_t i = 0; p[i]; i++)
        free(p[i]);
    free(p);
}

static bool has(char **p, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i], want))
            return true;
    return false;
}

static void read_member(const spy_acq *acq, const char *path, size_t max, int want_err,
                        const char *want)
{
    spy_artifact art = {.path = (char *)path, .label = (char *)path};
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spy_acq_read(acq, &art, max, &buf, &len), want_err);
    if (want) {
        assert_int_equal(len, strlen(want));
        assert_memory_equal(buf, want, len);
    }
    free(buf);
}

/* The listing of a tree (names, sizes, times) for the untouched-input check. */
static void snapshot(const char *dir, const char *rel, FILE *out)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = tu_join(dir, e->d_name);
        struct stat st;
        assert_int_equal(lstat(p, &st), 0);
        fprintf(out, "%s/%s %o %lld %lld.%09ld\n", rel, e->d_name, st.st_mode,
                (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        if (S_ISDIR(st.st_mode)) {
            char *r = tu_join(rel, e->d_name);
            snapshot(p, r, out);
            free(r);
        }
        free(p);
    }
    closedir(d);
}

static char *listing(const char *dir)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    snapshot(dir, "", f);
    fclose(f);
    return buf;
}

static void test_folder_members_links_and_reads(void **state)
{
    (void)state;
    char *dir = af_bugreport_dir(root, "DUMP OF SERVICE package:\nx\n");
    af_write_str(dir, "FS/data/tombstones/tombstone_00", "crash 0");
    af_write_str(dir, "FS/data/tombstones/tombstone_01.pb", "pb");
    af_write_str(dir, "FS/data/anr/anr_2024", "anr");
    af_write_str(dir, "version.txt", "2.0");
    /* A secret outside the report and links pointing at it. */
    af_write_str(root, "secret.txt", "outside");
    char *link = tu_join(dir, "FS/data/tombstones/tombstone_99");
    assert_int_equal(symlink("../../../../secret.txt", link), 0);
    char *dlink = tu_join(dir, "FS/escape");
    assert_int_equal(symlink(root, dlink), 0);
    /* A known mtime: 2024-03-01 10:00:00.25 local. */
    char *t0 = tu_join(dir, "FS/data/anr/anr_2024");
    struct timespec ts[2] = {{zf_default_mtime(), 250000000}, {zf_default_mtime(), 250000000}};
    assert_int_equal(utimensat(AT_FDCWD, t0, ts, 0), 0);
    char *before = listing(root);

    spy_acq acq;
    assert_int_equal(spy_bugreport_open(dir, &acq), SPY_OK);
    assert_int_equal(acq.kind, SPY_ACQ_ANDROID_BUGREPORT);
    size_t n = 0;
    char **fs = paths_of(&acq, "FS/*", &n);
    assert_int_equal(n, 3); /* links left out, never followed */
    assert_true(has(fs, n, "FS/data/tombstones/tombstone_00"));
    assert_true(has(fs, n, "FS/data/anr/anr_2024"));
    assert_false(has(fs, n, "FS/data/tombstones/tombstone_99"));
    free_paths(fs);
    char **tomb = paths_of(&acq, "*/tombstone_*", &n);
    assert_int_equal(n, 2);
    free_paths(tomb);
    /* Top-level files come before a folder's (os.walk order). */
    char **all = paths_of(&acq, "*", &n);
    assert_int_equal(n, 6);
    size_t first_fs = n;
    for (size_t i = 0; i < n; i++)
        if (!strncmp(all[i], "FS/", 3) && first_fs == n)
            first_fs = i;
    assert_int_equal(first_fs, 3);
    free_paths(all);

    const char *globs[] = {"FS/data/anr/*", NULL};
    spy_query q = {.globs = globs};
    spy_artifacts arts = {0};
    assert_int_equal(spy_acq_find(&acq, &q, &arts), SPY_OK);
    assert_int_equal(arts.n, 1);
    assert_string_equal(arts.v[0].mtime, "2024-03-01 10:00:00.250000");
    assert_string_equal(arts.v[0].label, "FS/data/anr/anr_2024");
    spy_artifacts_free(&arts);

    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_OK, "crash 0");
    read_member(&acq, "FS/data/tombstones/tombstone_00", 3, SPY_ELIMIT, NULL);
    read_member(&acq, "FS/data/tombstones/tombstone_99", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "../secret.txt", 100, SPY_ENOTFOUND, NULL);
    assert_null(spy_android_context(&acq));
    sqlite3 *db = NULL;
    assert_int_equal(spy_acq_open_db(&acq, &arts.v[0], &db), SPY_EUNSUPPORTED);
    spy_acq_close(&acq);

    /* Nothing was created, changed or removed in or beside the input. */
    char *after = listing(root);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(t0);
    free(link);
    free(dlink);
    free(dir);
}

/* What libarchive alone says of an entry's time. */
static time_t libarchive_mtime(const char *zip, const char *name)
{
    struct archive *ar = archive_read_new();
    archive_read_support_format_zip_seekable(ar);
    assert_int_equal(archive_read_open_filename(ar, zip, 65536), ARCHIVE_OK);
    struct archive_entry *e;
    time_t t = -1;
    while (archive_read_next_header(ar, &e) == ARCHIVE_OK)
        if (!strcmp(archive_entry_pathname(e), name))
            t = archive_entry_mtime(e);
    archive_read_free(ar);
    return t;
}

/* A bug report ZIP as adb writes it, with hostile members mixed in. */
static char *write_zip(const char *name, bool hostile)
{
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "bugreport-dev-UP1A-2024-03-01.txt");
    zf_add_str(z, "version.txt", "2.0");
    zf_add_dir(z, "FS/");
    zf_add_str(z, "FS/data/tombstones/tombstone_00", "crash 0");
    if (hostile) {
        zf_add_str(z, "../evil.txt", "escape");
        zf_add_str(z, "FS/../../evil2.txt", "escape");
        zf_add_str(z, "/etc/passwd", "absolute");
        zf_add_symlink(z, "FS/link", "/etc/shadow");
    }
    zf_add_stored(z, "FS/data/anr/anr_stored", "stored bytes", 12);
    zf_add_str(z, "bugreport-dev-UP1A-2024-03-01.txt",
               "------ SYSTEM PROPERTIES ------\n[ro.product.model]: [Pixel 7]\n------\n"
               "DUMP OF SERVICE package:\nPackages:\n");
    /* An odd second: the DOS field holds 11:00:00, the UT extra field
     * libarchive writes (and prefers when reading) 11:00:01. */
    zf_add(z, "FS/data/misc/late", "late", 4, zf_default_mtime() + 3601);
    char *path = tu_join(root, name);
    zf_finish_to(z, path);
    return path;
}

static void test_zip_members_and_refusals(void **state)
{
    (void)state;
    char *zip = write_zip("bugreport.zip", true);
    char *before = listing(root);
    spy_acq acq;
    assert_int_equal(spy_bugreport_open(zip, &acq), SPY_OK);
    size_t n = 0;
    char **all = paths_of(&acq, "*", &n);
    /* Central-directory order; folders, "..", absolute names and links out. */
    const char *want[] = {"main_entry.txt",
                          "version.txt",
                          "FS/data/tombstones/tombstone_00",
                          "FS/data/anr/anr_stored",
                          "bugreport-dev-UP1A-2024-03-01.txt",
                          "FS/data/misc/late"};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(all[i], want[i]);
    free_paths(all);

    const char *globs[] = {"FS/*", NULL};
    spy_query q = {.globs = globs, .first_only = false};
    spy_artifacts arts = {0};
    assert_int_equal(spy_acq_find(&acq, &q, &arts), SPY_OK);
    assert_int_equal(arts.n, 3);
    /* ZIP times are the DOS fields, as Python's zipfile gives them to MVT
     * (even seconds), not the extended timestamp libarchive reports. */
    assert_string_equal(arts.v[0].mtime, "2024-03-01 10:00:00.000000");
    assert_string_equal(arts.v[2].mtime, "2024-03-01 11:00:00.000000");
    assert_int_equal(libarchive_mtime(zip, "FS/data/misc/late"), zf_default_mtime() + 3601);
    spy_artifacts_free(&arts);

    /* Reads in any order: forward, backward, again. */
    read_member(&acq, "FS/data/misc/late", 100, SPY_OK, "late");
    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_OK, "crash 0");
    read_member(&acq, "FS/data/anr/anr_stored", 100, SPY_OK, "stored bytes");
    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_OK, "crash 0");
    read_member(&acq, "FS/data/tombstones/tombstone_00", 4, SPY_ELIMIT, NULL);
    read_member(&acq, "FS/data/misc/late", 100, SPY_OK, "late");
    read_member(&acq, "../evil.txt", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "FS/link", 100, SPY_ENOTFOUND, NULL);
    const char *body = NULL;
    size_t len = 0;
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_OK);
    assert_int_equal(len, strlen("Packages:"));
    assert_int_equal(spy_android_properties(&acq, &body, &len), SPY_OK);
    assert_int_equal(len, strlen("[ro.product.model]: [Pixel 7]"));
    spy_acq_close(&acq);
    char *after = listing(root);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(zip);
}

static void test_zip_bomb_is_stopped(void **state)
{
    (void)state;
    /* 64 MiB of zeros deflate to ~64 KiB: beyond 1000:1. */
    size_t big = 64u * 1024u * 1024u;
    char *zeros = calloc(1, big);
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "dumpstate.txt");
    zf_add(z, "dumpstate.txt", zeros, big, 0);
    zf_add_str(z, "FS/data/ok", "fine");
    free(zeros);
    char *path = tu_join(root, "bomb.zip");
    zf_finish_to(z, path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size < 1024 * 1024);
    spy_acq acq;
    assert_int_equal(spy_bugreport_open(path, &acq), SPY_OK);
    const char *body;
    size_t len;
    /* The dumpstate read stops with SPY_ELIMIT, whatever the size allowed. */
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_ELIMIT);
    /* A member declaring more than the caller reads is refused up front. */
    read_member(&acq, "dumpstate.txt", 1024, SPY_ELIMIT, NULL);
    /* The rest of the archive stays readable. */
    read_member(&acq, "FS/data/ok", 100, SPY_OK, "fine");
    spy_acq_close(&acq);
    free(path);
}

/* The console line "<label> [spyscan.acquire.android] <path>: <msg>". */
static void assert_line(const char *log, const char *label, const char *path, const char *msg)
{
    char line[2048];
    snprintf(line, sizeof line, "%-14s [spyscan.acquire.android] %s: %s\n", label, path, msg);
    if (!strstr(log, line))
        fail_msg("missing line: %s-- in --\n%s", line, log);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    spy_acq acq;
    char *missing = tu_join(root, "nope");
    assert_int_equal(spy_bugreport_open(missing, &acq), SPY_ENOTFOUND);
    free(missing);

    /* Truncated ZIP: the central directory is gone. */
    char *zip = write_zip("full.zip", false);
    size_t len = 0;
    char *bytes = tu_read(zip, &len);
    char *cut = tu_join(root, "cut.zip");
    tu_write(cut, bytes, len / 2);
    assert_int_equal(spy_bugreport_open(cut, &acq), SPY_EFORMAT);
    /* A member whose data is damaged: listed, its read fails cleanly and
     * the other members stay readable. */
    char *bad = tu_join(root, "damaged.zip");
    const char *name = "FS/data/tombstones/tombstone_00";
    unsigned char *pos = NULL;
    for (size_t i = 30; i + 31 <= len && !pos; i++)
        if (!memcmp(bytes + i, name, 31) && !memcmp(bytes + i - 30, "PK\x03\x04", 4))
            pos = (unsigned char *)bytes + i;
    assert_non_null(pos);
    size_t xlen = (size_t)pos[-2] | (size_t)pos[-1] << 8; /* local header: extra length */
    memset(pos + 31 + xlen, 0xff, 4);
    tu_write(bad, bytes, len);
    assert_int_equal(spy_bugreport_open(bad, &acq), SPY_OK);
    read_member(&acq, name, 100, SPY_EFORMAT, NULL);
    read_member(&acq, "version.txt", 100, SPY_OK, "2.0");
    spy_acq_close(&acq);
    free(bytes);
    free(bad);
    free(cut);
    free(zip);

    /* Not a ZIP: garbage, an empty file, an Android backup. */
    char *junk = tu_join(root, "junk.bin");
    tu_write_str(junk, "\x7f"
                       "ELF garbage");
    assert_int_equal(spy_bugreport_open(junk, &acq), SPY_EFORMAT);
    tu_write_str(junk, "");
    assert_int_equal(spy_bugreport_open(junk, &acq), SPY_EFORMAT);
    tu_write_str(junk, "ANDROID BACKUP\n5\n1\nnone\n");
    assert_int_equal(spy_bugreport_open(junk, &acq), SPY_EFORMAT);
    free(junk);
    /* A valid ZIP of no members is empty, not truncated. */
    char *none = tu_join(root, "none.zip");
    zf_finish_to(zf_new(), none);
    af_log_begin();
    assert_int_equal(spy_bugreport_open(none, &acq), SPY_EFORMAT);
    char *log = af_log_end();
    assert_line(log, "ERROR", none, "Invalid bugreport archive: the ZIP holds no files");
    free(log);
    free(none);

    /* Folders that are not bug reports. */
    char *empty = tu_join(root, "empty");
    assert_int_equal(mkdir(empty, 0700), 0);
    assert_int_equal(spy_bugreport_open(empty, &acq), SPY_EFORMAT);
    char *ios = tu_join(root, "ios");
    af_write_str(ios, "Manifest.db", "SQLite format 3");
    af_write_str(ios, "Info.plist", "<plist/>");
    assert_int_equal(spy_bugreport_open(ios, &acq), SPY_EFORMAT);
    char *photos = tu_join(root, "photos");
    af_write_str(photos, "IMG_0001.jpg", "jpeg");
    assert_int_equal(spy_bugreport_open(photos, &acq), SPY_EFORMAT);
    char *aqf = af_androidqf_dir(root);
    af_write_str(aqf, "getprop.txt", "[ro.product.model]: [x]\n");
    assert_int_equal(spy_bugreport_open(aqf, &acq), SPY_EFORMAT);
    free(aqf);
    free(photos);
    free(ios);
    free(empty);
}

/* ---- members that are not regular files ------------------------------------ */

/* The file type libarchive's ZIP reader gives an entry. */
static unsigned libarchive_type(const char *zip, const char *name)
{
    struct archive *ar = archive_read_new();
    archive_read_support_format_zip_seekable(ar);
    assert_int_equal(archive_read_open_filename(ar, zip, 65536), ARCHIVE_OK);
    struct archive_entry *e;
    unsigned type = 0;
    while (archive_read_next_header(ar, &e) == ARCHIVE_OK)
        if (!strcmp(archive_entry_pathname(e), name))
            type = archive_entry_filetype(e);
    archive_read_free(ar);
    return type;
}

static void assert_paths(const spy_acq *acq, const char *const *want, size_t n_want)
{
    size_t n = 0;
    char **all = paths_of(acq, "*", &n);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(all[i], want[i]);
    free_paths(all);
}

static void test_zip_members_not_regular_files(void **state)
{
    (void)state;
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "dumpstate.txt");
    zf_add_str(z, "dumpstate.txt", "DUMP OF SERVICE package:\nPackages:\n");
    zf_add_mode(z, "FS/dev/zero", "", 0, S_IFCHR | 0644);
    zf_add_mode(z, "FS/dev/block/sda", "", 0, S_IFBLK | 0600);
    zf_add_mode(z, "FS/data/shadow", "/etc/shadow", 11, S_IFLNK | 0777);
    zf_add_mode(z, "FS/data/socket", "", 0, S_IFSOCK | 0755);
    zf_add_mode(z, "FS/data/fifo", "fifo bytes", 10, S_IFIFO | 0644);
    zf_add_str(z, "FS/data/tombstones/tombstone_00", "crash 0");
    char *zip = tu_join(root, "special.zip");
    zf_finish_to(z, zip);
    /* The fixture says what it means: libarchive reads those types back,
     * except a FIFO, which it turns into a regular file (a workaround for
     * Info-ZIP, which records the pipe it read from instead of a file). */
    assert_int_equal(libarchive_type(zip, "FS/dev/zero"), AE_IFCHR);
    assert_int_equal(libarchive_type(zip, "FS/dev/block/sda"), AE_IFBLK);
    assert_int_equal(libarchive_type(zip, "FS/data/shadow"), AE_IFLNK);
    assert_int_equal(libarchive_type(zip, "FS/data/socket"), AE_IFSOCK);
    assert_int_equal(libarchive_type(zip, "FS/data/fifo"), AE_IFREG);

    spy_acq acq;
    af_log_begin();
    assert_int_equal(spy_bugreport_open(zip, &acq), SPY_OK);
    char *log = af_log_end();
    assert_line(log, "WARNING", zip, "leaving out member 'FS/dev/zero': a device");
    assert_line(log, "WARNING", zip, "leaving out member 'FS/dev/block/sda': a device");
    assert_line(log, "WARNING", zip, "leaving out member 'FS/data/shadow': a symbolic link");
    assert_line(log, "WARNING", zip, "leaving out member 'FS/data/socket': not a regular file");
    free(log);
    /* The FIFO's bytes are data in the archive like any file's: read, never
     * a pipe opened. A hard link cannot be tested: libarchive's ZIP reader
     * never sets one (ZIP has no hard-link record), so bad_type()'s hard
     * link branch only guards against a future reader. */
    const char *want[] = {"main_entry.txt", "dumpstate.txt", "FS/data/fifo",
                          "FS/data/tombstones/tombstone_00"};
    assert_paths(&acq, want, 4);
    read_member(&acq, "FS/dev/zero", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "FS/dev/block/sda", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "FS/data/shadow", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "FS/data/socket", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "FS/data/fifo", 100, SPY_OK, "fifo bytes");
    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_OK, "crash 0");
    const char *body = NULL;
    size_t len = 0;
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_OK);
    assert_int_equal(len, strlen("Packages:"));
    spy_acq_close(&acq);
    free(zip);
}

static void test_folder_fifo_and_device(void **state)
{
    (void)state;
    /* A FIFO opened for reading blocks until a writer comes: the test dies
     * of SIGALRM if the reader ever does that. */
    alarm(20);
    char *dir = af_bugreport_dir(root, NULL);
    af_write_str(dir, "main_entry.txt", "dumpstate.txt\n");
    af_write_str(dir, "FS/data/tombstones/tombstone_00", "crash 0");
    char *dumpstate = tu_join(dir, "dumpstate.txt");
    char *fifo = tu_join(dir, "FS/data/tombstones/tombstone_01");
    char *dev = tu_join(dir, "FS/data/tombstones/tombstone_02");
    assert_int_equal(mkfifo(dumpstate, 0644), 0);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    bool have_dev = af_make_device(dev);

    spy_acq acq;
    af_log_begin();
    assert_int_equal(spy_bugreport_open(dir, &acq), SPY_OK);
    char *log = af_log_end();
    assert_line(log, "WARNING", dir, "leaving out dumpstate.txt: not a regular file");
    assert_line(log, "WARNING", dir,
                "leaving out FS/data/tombstones/tombstone_01: not a regular file");
    if (have_dev)
        assert_line(log, "WARNING", dir,
                    "leaving out FS/data/tombstones/tombstone_02: not a regular file");
    free(log);
    const char *want[] = {"main_entry.txt", "FS/data/tombstones/tombstone_00"};
    assert_paths(&acq, want, 2);
    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_OK, "crash 0");
    read_member(&acq, "FS/data/tombstones/tombstone_01", 100, SPY_ENOTFOUND, NULL);
    read_member(&acq, "FS/data/tombstones/tombstone_02", 100, SPY_ENOTFOUND, NULL);
    /* The dumpstate file main_entry.txt names is the FIFO: no dumpstate. */
    const char *body = NULL;
    size_t len = 0;
    af_log_begin();
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_ENOTFOUND);
    log = af_log_end();
    assert_line(log, "ERROR", dir,
                "main_entry.txt names 'dumpstate.txt', which is not in the bug report");
    free(log);
    /* A listed file replaced by a FIFO before it is read: refused, not
     * waited on. */
    char *tomb = tu_join(dir, "FS/data/tombstones/tombstone_00");
    assert_int_equal(unlink(tomb), 0);
    assert_int_equal(mkfifo(tomb, 0644), 0);
    af_log_begin();
    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_EIO, NULL);
    log = af_log_end();
    assert_line(log, "ERROR", dir, "FS/data/tombstones/tombstone_00 is not a regular file");
    free(log);
    spy_acq_close(&acq);
    alarm(0);
    free(tomb);
    free(dev);
    free(fifo);
    free(dumpstate);
    free(dir);
}

/* Replaces every copy of the ASCII placeholder name in the archive by raw
 * bytes of the same length and sets the UTF-8 flag (bit 11) of the local
 * and central headers holding it, as Python's zipfile (hence AndroidQF's
 * and adb's writers) does for non-ASCII names; libarchive's writer cannot
 * write such a name in the C locale. */
static void patch_name(unsigned char *zip, size_t len, const char *placeholder, const char *raw)
{
    size_t n = strlen(placeholder), hits = 0;
    assert_int_equal(strlen(raw), n);
    for (size_t i = 46; i + n <= len; i++) {
        if (memcmp(zip + i, placeholder, n) != 0)
            continue;
        memcpy(zip + i, raw, n);
        if (!memcmp(zip + i - 30, "PK\3\4", 4))
            zip[i - 30 + 7] |= 0x08;
        else if (!memcmp(zip + i - 46, "PK\1\2", 4))
            zip[i - 46 + 9] |= 0x08;
        else
            fail_msg("placeholder %s outside a header name", placeholder);
        hits++;
    }
    assert_int_equal(hits, 2);
}

/* Member names that are not ASCII (UTF-8 flag set): spyscan runs in the C
 * locale, where libarchive returns ARCHIVE_WARN for such a header, and the
 * whole archive used to be refused ("Pathname cannot be converted from
 * UTF-8 to current locale", exit 3). Now only those members are left out
 * (libarchive gives no UTF-8 name in the C locale, valid or not) and the
 * members after them are listed and read. */
static void test_zip_non_ascii_names(void **state)
{
    (void)state;
    zf_zip *z = zf_new();
    zf_add_str(z, "main_entry.txt", "dumpstate.txt");
    zf_add_str(z, "dumpstate.txt", "DUMP OF SERVICE package:\nPackages:\n");
    zf_add_str(z, "FS/data/misc/Z__rich.txt", "umlaut");
    zf_add_str(z, "FS/data/misc/bad__.txt", "invalid");
    zf_add_str(z, "FS/data/tombstones/tombstone_00", "crash 0");
    size_t len = 0;
    unsigned char *bytes = zf_finish(z, &len);
    patch_name(bytes, len, "FS/data/misc/Z__rich.txt", "FS/data/misc/Z\xc3\xbcrich.txt");
    patch_name(bytes, len, "FS/data/misc/bad__.txt", "FS/data/misc/bad\xff\xfe.txt");
    char *zip = tu_join(root, "names.zip");
    tu_write(zip, (const char *)bytes, len);
    free(bytes);

    spy_acq acq;
    af_log_begin();
    assert_int_equal(spy_bugreport_open(zip, &acq), SPY_OK);
    char *log = af_log_end();
    assert_line(log, "", zip, "3 files in the bug report");
    free(log);
    const char *want[] = {"main_entry.txt", "dumpstate.txt", "FS/data/tombstones/tombstone_00"};
    assert_paths(&acq, want, 3);
    read_member(&acq, "FS/data/tombstones/tombstone_00", 100, SPY_OK, "crash 0");
    const char *body = NULL;
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_OK);
    assert_int_equal(len, strlen("Packages:"));
    spy_acq_close(&acq);
    free(zip);
}

/* A main_entry.txt that is present but damaged (bad CRC) fails the
 * dumpstate readers, as a damaged dumpstate does; it used to read as "no
 * dumpstate" (modules absent, exit code without the failure flag). */
static void test_zip_damaged_main_entry(void **state)
{
    (void)state;
    zf_zip *z = zf_new();
    zf_add_stored(z, "main_entry.txt", "dumpstate.txt\n", 14);
    zf_add_str(z, "dumpstate.txt", "DUMP OF SERVICE package:\nPackages:\n");
    size_t len = 0;
    unsigned char *bytes = zf_finish(z, &len);
    size_t at = 0; /* the stored data: a name is never followed by '\n' */
    while (at + 14 <= len && memcmp(bytes + at, "dumpstate.txt\n", 14) != 0)
        at++;
    assert_true(at + 14 <= len);
    bytes[at] = 'D';
    char *zip = tu_join(root, "main_entry.zip");
    tu_write(zip, (const char *)bytes, len);
    free(bytes);

    spy_acq acq;
    assert_int_equal(spy_bugreport_open(zip, &acq), SPY_OK);
    const char *body = NULL;
    af_log_begin();
    assert_int_equal(spy_android_dumpsys(&acq, "package", &body, &len), SPY_EFORMAT);
    char *log = af_log_end();
    assert_line(log, "ERROR", zip,
                "member main_entry.txt: ZIP bad CRC: 0xe10c5db3 should be 0x2c68256b");
    free(log);
    assert_int_equal(spy_android_properties(&acq, &body, &len), SPY_EFORMAT);
    spy_acq_close(&acq);
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnmatch_is_pythons),
        cmocka_unit_test(test_dos_times_like_zipfile),
        cmocka_unit_test_setup_teardown(test_folder_members_links_and_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_members_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_bomb_is_stopped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_members_not_regular_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_fifo_and_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_non_ascii_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_damaged_main_entry, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
