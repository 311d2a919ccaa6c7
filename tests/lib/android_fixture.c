#include "android_fixture.h"

#include "testutil.h"

#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

char *af_fixture(const char *slug, const char *file, size_t *len)
{
    char rel[512];
    snprintf(rel, sizeof rel, "tests/fixtures/android/%s/%s", slug, file);
    char *path = tu_join(tu_source_dir(), rel);
    char *data = tu_read(path, len);
    if (!data)
        fail_msg("missing fixture %s", rel);
    free(path);
    return data;
}

static void mkdirs_for(const char *path)
{
    char *p = strdup(path);
    assert_non_null(p);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            fail_msg("mkdir %s", p);
        *s = '/';
    }
    free(p);
}

void af_write(const char *dir, const char *relpath, const void *data, size_t len)
{
    char *path = tu_join(dir, relpath);
    mkdirs_for(path);
    tu_write(path, data, len);
    free(path);
}

void af_write_str(const char *dir, const char *relpath, const char *text)
{
    af_write(dir, relpath, text, strlen(text));
}

#define AF_MAIN "bugreport-test_device-UP1A.231005.007-2024-03-01-10-00-00.txt"

char *af_bugreport_dir(const char *root, const char *dumpstate)
{
    char *dir = tu_join(root, "bugreport");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        fail_msg("mkdir %s", dir);
    af_write_str(dir, "main_entry.txt", AF_MAIN "\n");
    if (dumpstate)
        af_write_str(dir, AF_MAIN, dumpstate);
    return dir;
}

char *af_androidqf_dir(const char *root)
{
    char *dir = tu_join(root, AF_QF_UUID);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        fail_msg("mkdir %s", dir);
    return dir;
}

static void append(char **buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    *buf = realloc(*buf, *len + n + 1);
    assert_non_null(*buf);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

char *af_dumpstate(const char *const *pairs)
{
    static const char rule[] = "-------------------------------------------------------------------"
                               "------------\n";
    char *buf = NULL;
    size_t len = 0;
    append(&buf, &len,
           "========================================================\n"
           "== dumpstate: 2024-03-01 10:00:00\n"
           "========================================================\n\n"
           "Build: UP1A.231005.007\n\n");
    for (size_t i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2) {
        append(&buf, &len, rule);
        append(&buf, &len, "DUMP OF SERVICE ");
        append(&buf, &len, pairs[i]);
        append(&buf, &len, ":\n");
        append(&buf, &len, pairs[i + 1]);
        if (len && buf[len - 1] != '\n')
            append(&buf, &len, "\n");
        append(&buf, &len, "--------- 0.012s was the duration of dumpsys ");
        append(&buf, &len, pairs[i]);
        append(&buf, &len, ", ending at: 2024-03-01 10:00:01\n");
    }
    append(&buf, &len, rule);
    return buf;
}

static char *log_buf;
static size_t log_len;
static FILE *log_file;

void af_log_begin(void)
{
    log_file = open_memstream(&log_buf, &log_len);
    assert_non_null(log_file);
    spy_log_set_quiet(false);
    spy_log_set_console(log_file);
}

char *af_log_end(void)
{
    fflush(log_file);
    spy_log_set_console(NULL);
    spy_log_set_quiet(true);
    fclose(log_file);
    return log_buf;
}

bool af_make_device(const char *path)
{
    if (mknod(path, S_IFCHR | 0644, makedev(1, 5)) == 0)
        return true;
    print_message("mknod %s failed (errno %d): the device part is skipped\n", path, errno);
    return false;
}
