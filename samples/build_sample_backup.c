/* Builds the bundled sample iOS backup from its declarative description
 * (design.md §8): samples/ios-backup/backup.json lists every backup entry
 * (domain, relativePath and a source: a .sql script with an optional WAL
 * part, literal text, a plist given as JSON, or a directory) plus the three
 * top-level plists. The backup itself is written by the test fixture builder
 * (tests/lib/backup_fixture.h), so the sample has exactly the shape the
 * tests use: Manifest.db with MBFile blobs, content files at <xx>/<fileID>.
 *
 * Usage: build_sample_backup BACKUP_JSON OUT_DIR   (OUT_DIR must not exist)
 */
#include "backup_fixture.h"
#include "bplist_writer.h"
#include "core/mem.h"
#include "testutil.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <plist/plist.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void die_build(const char *what, const char *detail)
{
    fprintf(stderr, "build_sample_backup: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    exit(1);
}

/* A file named in backup.json, relative to the folder holding it. */
static char *read_source(const char *base, const char *rel)
{
    char *path = tu_join(base, rel);
    size_t len = 0;
    char *data = tu_read(path, &len);
    if (!data)
        die_build("cannot read", path);
    free(path);
    return data;
}

/* Base64 of a {"$data": ...} value; EVP_DecodeBlock counts '=' padding as
 * zero bytes, so the padding is taken off the decoded length. */
static unsigned char *decode_b64(const char *s, size_t *len)
{
    size_t n = strlen(s);
    unsigned char *out = spy_xmalloc(n / 4 * 3 + 3);
    int got = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
    if (got < 0 || n % 4 != 0)
        die_build("bad base64 in a $data value", s);
    size_t pad = (n > 0 && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
    *len = (size_t)got - pad;
    return out;
}

static plist_t to_plist(const json_t *v);

static plist_t object_to_plist(const json_t *v)
{
    const json_t *date = json_object_get(v, "$date");
    const json_t *data = json_object_get(v, "$data");
    if (date && json_object_size(v) == 1)
        return plist_new_date((int32_t)json_number_value(date), 0);
    if (data && json_is_string(data) && json_object_size(v) == 1) {
        size_t n = 0;
        unsigned char *bytes = decode_b64(json_string_value(data), &n);
        plist_t p = plist_new_data((const char *)bytes, n);
        free(bytes);
        return p;
    }
    plist_t d = plist_new_dict();
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) plist_dict_set_item(d, k, to_plist(x));
    return d;
}

/* JSON -> libplist for the XML plists (Info.plist is XML as the host writes
 * it); the binary ones go through bpw_write, which knows the same
 * conventions. */
static plist_t to_plist(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return object_to_plist(v);
    case JSON_ARRAY: {
        plist_t a = plist_new_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) plist_array_append_item(a, to_plist(x));
        return a;
    }
    case JSON_STRING: return plist_new_string(json_string_value(v));
    case JSON_INTEGER: return plist_new_uint((uint64_t)json_integer_value(v));
    case JSON_REAL: return plist_new_real(json_real_value(v));
    case JSON_TRUE: return plist_new_bool(1);
    case JSON_FALSE: return plist_new_bool(0);
    default: die_build("null has no plist form", NULL);
    }
    return NULL;
}

static void plist_bytes(const json_t *v, const char *format, char **out, size_t *len)
{
    if (!strcmp(format, "binary")) {
        uint8_t *bin = NULL;
        if (bpw_write(v, NULL, &bin, len) != 0)
            die_build("cannot encode a binary plist", NULL);
        *out = (char *)bin;
        return;
    }
    if (strcmp(format, "xml") != 0)
        die_build("plist format must be xml or binary", format);
    plist_t p = to_plist(v);
    uint32_t n = 0;
    plist_to_xml(p, out, &n);
    plist_free(p);
    *len = n;
}

static const char *str_field(const json_t *e, const char *key, bool required)
{
    const char *s = json_string_value(json_object_get(e, key));
    if (!s && required)
        die_build("entry lacks the string field", key);
    return s;
}

static void add_sql(bf_backup *b, const char *base, const json_t *e, const char *dom,
                    const char *rel)
{
    char *sql = read_source(base, str_field(e, "sql", true));
    const char *wal_rel = str_field(e, "wal_sql", false);
    char *wal = wal_rel ? read_source(base, wal_rel) : NULL;
    bf_add_sqlite(b, dom, rel, sql, wal);
    free(sql);
    free(wal);
}

static void add_plist_entry(bf_backup *b, const json_t *e, const char *dom, const char *rel)
{
    const char *format = str_field(e, "format", false);
    char *bytes = NULL;
    size_t len = 0;
    plist_bytes(json_object_get(e, "plist"), format ? format : "binary", &bytes, &len);
    bf_add_file(b, dom, rel, bytes, len);
    free(bytes);
}

static void add_entry(bf_backup *b, const char *base, const json_t *e)
{
    const char *dom = str_field(e, "domain", true);
    const char *rel = str_field(e, "relativePath", true);
    const char *text = str_field(e, "text", false);
    if (json_is_true(json_object_get(e, "dir")))
        bf_add_dir(b, dom, rel);
    else if (json_object_get(e, "sql"))
        add_sql(b, base, e, dom, rel);
    else if (text)
        bf_add_file(b, dom, rel, text, strlen(text));
    else if (json_object_get(e, "plist"))
        add_plist_entry(b, e, dom, rel);
    else
        die_build("entry has no source (dir, sql, text or plist)", rel);
}

static void write_info_plist(const char *out_dir, const json_t *info)
{
    char *xml = NULL;
    size_t len = 0;
    plist_bytes(info, "xml", &xml, &len);
    char *path = tu_join(out_dir, "Info.plist");
    tu_write(path, xml, len);
    free(path);
    free(xml);
}

static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? spy_xstrndup(path, (size_t)(slash - path)) : spy_xstrdup(".");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: build_sample_backup BACKUP_JSON OUT_DIR\n");
        return 2;
    }
    json_error_t jerr;
    json_t *desc = json_load_file(argv[1], 0, &jerr);
    if (!desc)
        die_build(argv[1], jerr.text);
    const json_t *files = json_object_get(desc, "files");
    if (!json_is_array(files))
        die_build("\"files\" must be an array", NULL);
    if (!json_is_object(json_object_get(desc, "info")))
        die_build("\"info\" (Info.plist) must be an object", NULL);
    char *base = parent_dir(argv[1]);
    bf_backup *b = bf_new(argv[2]);
    size_t i;
    json_t *e;
    json_array_foreach(files, i, e) add_entry(b, base, e);
    /* Info.plist is written here (with dates and data); bf_set_plists
     * writes the two binary ones. */
    bf_set_plists(b, NULL, json_object_get(desc, "manifest"), json_object_get(desc, "status"));
    bf_finish(b);
    write_info_plist(argv[2], json_object_get(desc, "info"));
    free(base);
    json_decref(desc);
    return 0;
}
