#include "zip_fixture.h"

#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A central directory entry to patch at zf_finish(): its mode, or (with
 * zero_time) its DOS date and time. */
typedef struct zf_mode {
    char *name;
    unsigned mode;
    bool zero_time;
} zf_mode;

struct zf_zip {
    struct archive *ar;
    char *buf;
    size_t cap, used;
    zf_mode *modes;
    size_t n_modes;
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

static void patch_later(zf_zip *z, const char *name, unsigned mode, bool zero_time)
{
    z->modes = realloc(z->modes, (z->n_modes + 1) * sizeof *z->modes);
    assert_non_null(z->modes);
    z->modes[z->n_modes++] = (zf_mode){strdup(name), mode, zero_time};
}

void zf_add_mode(zf_zip *z, const char *name, const void *data, size_t len, unsigned mode)
{
    add(z, name, AE_IFREG, data, len, 0, NULL, true);
    patch_later(z, name, mode, false);
}

void zf_add_no_time(zf_zip *z, const char *name, const char *text)
{
    add(z, name, AE_IFREG, text, strlen(text), 0, NULL, true);
    patch_later(z, name, 0, true);
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

/* Sets the external attributes of the entries zf_add_mode() named, walking
 * the central directory from the end record (no ZIP64: fixtures are small). */
static void patch_modes(zf_zip *z)
{
    if (!z->n_modes)
        return;
    unsigned char *b = (unsigned char *)z->buf;
    assert_true(z->used >= 22);
    size_t eocd = z->used - 22;
    while (eocd > 0 && memcmp(b + eocd, "PK\x05\x06", 4) != 0)
        eocd--;
    assert_memory_equal(b + eocd, "PK\x05\x06", 4);
    size_t pos = le32(b + eocd + 16), n = le16(b + eocd + 10);
    size_t patched = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(pos + 46 <= eocd);
        assert_memory_equal(b + pos, "PK\x01\x02", 4);
        size_t name_len = le16(b + pos + 28);
        for (size_t k = 0; k < z->n_modes; k++) {
            if (strlen(z->modes[k].name) != name_len ||
                memcmp(b + pos + 46, z->modes[k].name, name_len) != 0)
                continue;
            if (z->modes[k].zero_time) {
                memset(b + pos + 12, 0, 4); /* DOS time, then date */
            } else {
                b[pos + 5] = 3; /* version made by: Unix */
                uint32_t ext = (uint32_t)z->modes[k].mode << 16;
                for (int j = 0; j < 4; j++)
                    b[pos + 38 + j] = (unsigned char)(ext >> (8 * j));
            }
            patched++;
        }
        pos += 46 + name_len + le16(b + pos + 30) + le16(b + pos + 32);
    }
    assert_int_equal(patched, z->n_modes);
    for (size_t k = 0; k < z->n_modes; k++)
        free(z->modes[k].name);
    free(z->modes);
}

void *zf_finish(zf_zip *z, size_t *len)
{
    assert_int_equal(archive_write_close(z->ar), ARCHIVE_OK);
    archive_write_free(z->ar);
    patch_modes(z);
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
