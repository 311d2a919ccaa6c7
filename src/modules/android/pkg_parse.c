/* DumpsysPackages parser (spec/android.md §4.8).
 *
 * Beyond MVT: MVT ends the package list at the first blank line, and
 * vendors print blank lines inside package blocks (MIUI/HONOR "overlay
 * paths:", Samsung after targetSdk=, Pixel archived apps), so MVT reads 10
 * of 388 packages on some phones (mvt-project/mvt#871). Here the list ends
 * at the first non-blank line that is not indented (the next section
 * header, e.g. "Hidden system packages:"), except MIUI's unindented
 * "<name> overlay paths:" lines; blank lines inside a block are ignored.
 * List indentation is taken relative to the package header's, so vendor
 * layouts with another base indentation read the same. */
#include "modules/android/pkg_parse.h"

#include "core/error.h"
#include "core/mem.h"
#include "modules/android/android_lists.h"
#include "modules/android/br_text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { L_NONE = 0, L_INSTALL, L_RUNTIME, L_DECLARED, L_REQUESTED };

/* Per-user values: firstInstallTime and runtime permissions. */
typedef struct pkg_user {
    long user; /* -1: seen before any "User <n>:" line */
    json_t *first_install;
    json_t *runtime; /* array */
} pkg_user;

typedef struct pkg_block {
    json_t *rec;
    json_t *perms;
    json_t *requested;
    pkg_user *users;
    size_t n_users, cap_users;
    long cur_user;
    int list;
    size_t base; /* indentation of the package header */
    size_t lines;
} pkg_block;

static json_t *bytes(br_span s)
{
    return json_stringn_nocheck(s.p ? s.p : "", s.n);
}

static pkg_user *user_slot(pkg_block *b, long user)
{
    for (size_t i = 0; i < b->n_users; i++)
        if (b->users[i].user == user)
            return &b->users[i];
    if (b->n_users == b->cap_users) {
        b->cap_users = b->cap_users ? b->cap_users * 2 : 4;
        b->users = spy_xreallocarray(b->users, b->cap_users, sizeof *b->users);
    }
    pkg_user *u = &b->users[b->n_users++];
    u->user = user;
    u->first_install = NULL;
    u->runtime = NULL;
    return u;
}

/* "User <n>: ..." (trimmed) sets the current user. */
static bool user_line(br_span t, long *user)
{
    if (!br_starts(t, "User "))
        return false;
    size_t i = 5;
    long v = 0;
    size_t digits = 0;
    while (i < t.n && t.p[i] >= '0' && t.p[i] <= '9' && digits < 9) {
        v = v * 10 + (t.p[i] - '0');
        i++;
        digits++;
    }
    if (!digits || i >= t.n || t.p[i] != ':')
        return false;
    *user = v;
    return true;
}

/* Python's line.split("=")[1].strip(): the text between the first and the
 * second '=' (MVT keeps only that much of userId, versionName, times). */
static br_span field_value(br_span t, bool whole_rest)
{
    const char *eq = memchr(t.p, '=', t.n);
    br_span v = {eq + 1, (size_t)(t.p + t.n - (eq + 1))};
    if (!whole_rest) {
        const char *eq2 = memchr(v.p, '=', v.n);
        if (eq2)
            v.n = (size_t)(eq2 - v.p);
    }
    return br_trim(v);
}

/* "<perm>: granted=true, flags=[ ... ]" */
static json_t *permission(br_span t, const char *type, bool with_granted)
{
    const char *colon = memchr(t.p, ':', t.n);
    br_span name = {t.p, colon ? (size_t)(colon - t.p) : t.n};
    json_t *p = json_object();
    json_object_set_new_nocheck(p, "name", bytes(name));
    if (with_granted) {
        json_t *granted = json_null();
        if (colon) {
            /* only the text up to the next ':' counts, as in MVT */
            br_span rest = {colon + 1, (size_t)(t.p + t.n - colon - 1)};
            const char *c2 = memchr(rest.p, ':', rest.n);
            if (c2)
                rest.n = (size_t)(c2 - rest.p);
            if (br_contains(rest, "granted="))
                granted = json_boolean(br_contains(rest, "granted=true"));
        }
        json_object_set_new_nocheck(p, "granted", granted);
    }
    /* our own ASCII names: no UTF-8 check */
    json_object_set_new_nocheck(p, "type", json_stringn_nocheck(type, strlen(type)));
    return p;
}

static bool has_token(br_span v, const char *tok)
{
    size_t n = strlen(tok);
    size_t i = 0;
    while (i < v.n) {
        while (i < v.n && (br_space(v.p[i]) || v.p[i] == '[' || v.p[i] == ']'))
            i++;
        size_t s = i;
        while (i < v.n && !br_space(v.p[i]) && v.p[i] != '[' && v.p[i] != ']')
            i++;
        if (i - s == n && memcmp(v.p + s, tok, n) == 0)
            return true;
    }
    return false;
}

/* List handling, checked before the field rules on every line. */
static void list_line(pkg_block *b, br_span line, br_span t)
{
    size_t ind = br_indent(line);
    size_t rel = ind >= b->base ? ind - b->base : 0;
    switch (b->list) {
    case L_INSTALL:
        /* ends at the package's own field level (4 or 5 spaces in AOSP) */
        if (rel == 2 || rel == 3) {
            b->list = L_NONE;
            return;
        }
        json_array_append_new(b->perms, permission(t, "install", true));
        return;
    case L_RUNTIME:
        if (rel < 6) {
            b->list = L_NONE;
            return;
        }
        pkg_user *u = user_slot(b, b->cur_user);
        if (!u->runtime)
            u->runtime = json_array();
        json_array_append_new(u->runtime, permission(t, "runtime", true));
        return;
    case L_DECLARED:
        if (rel < 4) {
            b->list = L_NONE;
            return;
        }
        json_array_append_new(b->perms, permission(t, "declared", false));
        return;
    case L_REQUESTED:
        if (rel < 4) {
            b->list = L_NONE;
            return;
        }
        json_array_append_new(b->requested, bytes(t));
        return;
    default: break;
    }
}

static void field_line(pkg_block *b, br_span t)
{
    long user;
    if (user_line(t, &user)) {
        b->cur_user = user;
        return;
    }
    static const struct {
        const char *prefix, *key;
        bool whole_rest;
    } fields[] = {{"userId=", "uid", false},
                  {"versionName=", "version_name", false},
                  {"versionCode=", "version_code", true},
                  {"timeStamp=", "timestamp", false},
                  {"installerPackageName=", "installer", false},
                  {"lastUpdateTime=", "last_update_time", false}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (br_starts(t, fields[i].prefix)) {
            json_object_set_new_nocheck(b->rec, fields[i].key,
                                        bytes(field_value(t, fields[i].whole_rest)));
            return;
        }
    if (br_starts(t, "pkgFlags=")) {
        json_object_set_new_nocheck(b->rec, "system",
                                    json_boolean(has_token(field_value(t, true), "SYSTEM")));
    } else if (br_starts(t, "firstInstallTime=")) {
        pkg_user *u = user_slot(b, b->cur_user);
        json_decref(u->first_install); /* the last one wins, as a dict key */
        u->first_install = bytes(field_value(t, false));
    } else if (br_equals(t, "install permissions:")) {
        b->list = L_INSTALL;
    } else if (br_equals(t, "runtime permissions:")) {
        b->list = L_RUNTIME;
    } else if (br_equals(t, "declared permissions:")) {
        b->list = L_DECLARED;
    } else if (br_equals(t, "requested permissions:")) {
        b->list = L_REQUESTED;
    }
}

static void block_open(pkg_block *b, br_span name, size_t base)
{
    memset(b, 0, sizeof *b);
    b->rec = json_object();
    b->perms = json_array();
    b->requested = json_array();
    b->cur_user = -1;
    /* Quirk kept from MVT: the requested-permission mode is on at the
     * start of a block (real blocks start at a shallower indentation). */
    b->list = L_REQUESTED;
    b->base = base;
    json_object_set_new_nocheck(b->rec, "package_name", bytes(name));
    static const char *const keys[] = {"uid",       "version_name",       "version_code",
                                       "timestamp", "first_install_time", "last_update_time",
                                       "installer"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set_new_nocheck(b->rec, keys[i], json_stringn_nocheck("", 0));
    json_object_set_new_nocheck(b->rec, "system", json_false());
}

/* user 0, else the values before any User line, else the first user that
 * has one (spec §4.8 "Primary-user selection"). */
static json_t *pick(const pkg_block *b, bool runtime)
{
    const long order[] = {0, -1};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < b->n_users; i++) {
            const pkg_user *u = &b->users[i];
            json_t *v = runtime ? u->runtime : u->first_install;
            if (u->user == order[k] && v)
                return v;
        }
    for (size_t i = 0; i < b->n_users; i++) {
        json_t *v = runtime ? b->users[i].runtime : b->users[i].first_install;
        if (v)
            return v;
    }
    return NULL;
}

static void block_free(pkg_block *b)
{
    for (size_t i = 0; i < b->n_users; i++) {
        json_decref(b->users[i].first_install);
        json_decref(b->users[i].runtime);
    }
    free(b->users);
    json_decref(b->rec);
    json_decref(b->perms);
    json_decref(b->requested);
    memset(b, 0, sizeof *b);
}

static int block_close(pkg_block *b, spy_pkg_cb cb, void *ud)
{
    if (!b->rec)
        return SPY_OK;
    if (!b->lines) { /* MVT emits a package only when its block has lines */
        block_free(b);
        return SPY_OK;
    }
    json_t *fi = pick(b, false);
    if (fi)
        json_object_set_nocheck(b->rec, "first_install_time", fi);
    json_t *rt = pick(b, true);
    if (rt)
        json_array_extend(b->perms, rt);
    /* MVT's key order: installer and system before the lists. block_open()
     * set every other key, so the lists go last on the record itself (no
     * copy: jansson keeps insertion order). */
    json_object_set_nocheck(b->rec, "permissions", b->perms);
    json_object_set_nocheck(b->rec, "requested_permissions", b->requested);
    json_t *rec = b->rec;
    b->rec = NULL;
    block_free(b);
    return cb(rec, ud);
}

/* "  Package [<name>] (<hash>):" at any indentation; false when it is a
 * header without a readable name. */
static bool package_header(br_span line, br_span *name, bool *bad)
{
    br_span t = br_trim(line);
    *bad = false;
    if (!br_starts(t, "Package ["))
        return false;
    const char *close = memchr(t.p + 9, ']', t.n - 9);
    if (!close || close == t.p + 9) {
        *bad = true;
        return true;
    }
    name->p = t.p + 9;
    name->n = (size_t)(close - name->p);
    return true;
}

/* Does this unindented line end the Packages: block? */
static bool ends_list(br_span line)
{
    if (line.n == 0 || br_space(line.p[0]))
        return false;
    br_span t = br_trim(line);
    return !(t.n >= 15 && memcmp(t.p + t.n - 15, " overlay paths:", 15) == 0) &&
           !br_equals(t, "overlay paths:");
}

int spy_pkg_parse(const char *text, size_t len, spy_pkg_cb cb, void *ud, size_t *skipped)
{
    const char *cur = text, *end = text + len;
    br_span line;
    size_t bad_headers = 0;
    if (skipped)
        *skipped = 0;
    while (br_next_line(&cur, end, &line))
        if (br_starts(line, "Packages:"))
            break;
    pkg_block b = {0};
    bool in_block = false;
    int err = SPY_OK;
    while (err == SPY_OK && cur < end && br_next_line(&cur, end, &line)) {
        br_span t = br_trim(line);
        if (t.n == 0)
            continue;
        if (ends_list(line))
            break;
        br_span name;
        bool bad;
        if (package_header(line, &name, &bad)) {
            err = block_close(&b, cb, ud);
            in_block = !bad;
            if (bad)
                bad_headers++;
            else
                block_open(&b, name, br_indent(line));
            continue;
        }
        if (!in_block)
            continue;
        b.lines++;
        /* as MVT: a list item is still tested against the field rules */
        list_line(&b, line, t);
        field_line(&b, t);
    }
    if (err == SPY_OK)
        err = block_close(&b, cb, ud);
    block_free(&b);
    if (skipped)
        *skipped = bad_headers;
    return err;
}

size_t spy_pkg_dangerous_count(const json_t *record)
{
    size_t n = 0, i;
    json_t *p;
    json_array_foreach(json_object_get(record, "permissions"), i, p)
    {
        if (spy_android_dangerous_permission(json_string_value(json_object_get(p, "name"))))
            n++;
    }
    return n;
}
