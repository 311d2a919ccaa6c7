#include "zip_fixture.h"

#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

struct zf_zip {
    struct archive *ar;
    char *buf;
    size_t cap, used;
};

time_t zf_default_mtime(void)
{
    struct tm tm = {.tm_year = 124, .tm_mon = 2, .tm_mday = 1, .tm_hour = 10, .tm_isdst = -1};
    return mktime(&tm);
}

zf_zip *zf_new(void)
{
    zf_zip *z = calloc(1, sizeof *z);
    assert_non_null(z);
    z->cap = 64u * 1024u * 1024u;
    z->buf = malloc(z->cap);
    assert_non_null(z->buf);
    z->ar = archive_write_new();
    assert_int_equal(archive_write_set_format_zip(z->ar), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(z->ar, z->buf, z->cap, &z->used), ARCHIVE_OK);
    return z;
}

static void add(zf_zip *z, const char *name, unsigned type, const void *data, size_t len,
                time_t mtime, const char *link, bool stored)
{
    if (stored)
        archive_write_zip_set_compression_store(z->ar);
    else
        archive_write_zip_set_compression_deflate(z->ar);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_mtime(e, mtime ? mtime : zf_default_mtime(), 0);
    if (link)
        archive_entry_set_symlink(e, link);
    if (type == AE_IFREG)
        archive_entry_set_size(e, (la_int64_t)len);
    if (archive_write_header(z->ar, e) != ARCHIVE_OK)
        fail_msg("zip fixture: %s: %s", name, archive_error_string(z->ar));
    if (len)
        assert_int_equal(archive_write_data(z->ar, data, len), (la_ssize_t)len);
    archive_entry_free(e);
}

void zf_add(zf_zip *z, const char *name, const void *data, size_t len, time_t mtime)
{
    add(z, name, AE_IFREG, data, len, mtime, NULL, false);
}

void zf_add_str(zf_zip *z, const char *name, const char *text)
{
    zf_add(z, name, text, strlen(text), 0);
}

void zf_add_stored(zf_zip *z, const char *name, const void *data, size_t len)
{
    add(z, name, AE_IFREG, data, len, 0, NULL, true);
}

void zf_add_dir(zf_zip *z, const char *name)
{
    add(z, name, AE_IFDIR, NULL, 0, 0, NULL, false);
}

void zf_add_symlink(zf_zip *z, const char *name, const char *target)
{
    add(z, name, AE_IFLNK, NULL, 0, 0, target, false);
}

void *zf_finish(zf_zip *z, size_t *len)
{
    assert_int_equal(archive_write_close(z->ar), ARCHIVE_OK);
    archive_write_free(z->ar);
    void *out = malloc(z->used ? z->used : 1);
    assert_non_null(out);
    memcpy(out, z->buf, z->used);
    *len = z->used;
    free(z->buf);
    free(z);
    return out;
}

void zf_finish_to(zf_zip *z, const char *path)
{
    size_t len = 0;
    void *data = zf_finish(z, &len);
    tu_write(path, data, len);
    free(data);
}
