/* BackupKeyBag TLV parser (spec/ios.md §3.3): 4-byte tag, 4-byte big-endian
 * length, value. Bounds are checked before every read; every count and salt
 * is validated here, so the key derivation never sees a hostile value. */
#include "acquire/ios_keybag.h"

#include "core/error.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct kb_pending {
    bool active, has_clas;
    uint32_t clas;
    spy_keybag_class c;
} kb_pending;

__attribute__((format(printf, 2, 3))) static int kb_fail(char **why, const char *fmt, ...)
{
    char buf[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (why)
        *why = spy_xstrdup(buf);
    return SPY_EFORMAT;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The tag as printable text for messages (hostile bytes become '?'). */
static void tag_text(const uint8_t *t, char out[5])
{
    for (int i = 0; i < 4; i++)
        out[i] = t[i] >= 0x20 && t[i] < 0x7f ? (char)t[i] : '?';
    out[4] = '\0';
}

static int get_u32(const uint8_t *tag, const uint8_t *v, uint32_t len, uint32_t *out, char **why)
{
    char t[5];
    tag_text(tag, t);
    if (len != 4)
        return kb_fail(why, "keybag tag %s holds %u bytes instead of a 4-byte number", t, len);
    *out = be32(v);
    return SPY_OK;
}

static int finish_class(spy_keybag *kb, kb_pending *p, char **why)
{
    if (!p->active)
        return SPY_OK;
    p->active = false;
    if (!p->has_clas)
        return kb_fail(why, "a keybag class record has no CLAS tag");
    if (p->clas == 0 || p->clas > SPY_KEYBAG_MAX_CLASS)
        return kb_fail(why, "keybag protection class %u is out of range", p->clas);
    if (kb->present[p->clas])
        return kb_fail(why, "keybag protection class %u appears twice", p->clas);
    kb->present[p->clas] = true;
    kb->cls[p->clas] = p->c;
    kb->n_classes++;
    return SPY_OK;
}

static int class_tag(kb_pending *p, const uint8_t *tag, const uint8_t *v, uint32_t len, char **why)
{
    if (!memcmp(tag, "CLAS", 4)) {
        p->has_clas = true;
        return get_u32(tag, v, len, &p->clas, why);
    }
    if (!memcmp(tag, "WRAP", 4)) {
        p->c.has_wrap = true;
        return get_u32(tag, v, len, &p->c.wrap, why);
    }
    if (!memcmp(tag, "KTYP", 4))
        return get_u32(tag, v, len, &p->c.ktyp, why);
    if (!memcmp(tag, "WPKY", 4)) {
        if (len != 40)
            return kb_fail(why, "keybag WPKY holds %u bytes instead of 40", len);
        memcpy(p->c.wpky, v, 40);
        p->c.has_wpky = true;
    }
    return SPY_OK; /* PBKY and unknown tags: not needed */
}

static int salt_tag(uint8_t *dst, size_t *dst_len, const char *name, const uint8_t *v, uint32_t len,
                    char **why)
{
    if (*dst_len)
        return SPY_OK; /* the first one counts */
    if (len == 0 || len > SPY_KEYBAG_MAX_SALT)
        return kb_fail(why, "keybag %s is %u bytes long", name, len);
    memcpy(dst, v, len);
    *dst_len = len;
    return SPY_OK;
}

static int header_tag(spy_keybag *kb, const uint8_t *tag, const uint8_t *v, uint32_t len,
                      bool *seen_wrap, char **why)
{
    uint32_t x = 0;
    int err;
    if (!memcmp(tag, "VERS", 4) || !memcmp(tag, "TYPE", 4) || !memcmp(tag, "ITER", 4) ||
        !memcmp(tag, "DPIC", 4) || !memcmp(tag, "WRAP", 4)) {
        if ((err = get_u32(tag, v, len, &x, why)) != SPY_OK)
            return err;
        if (!memcmp(tag, "VERS", 4) && !kb->has_vers)
            kb->vers = x, kb->has_vers = true;
        else if (!memcmp(tag, "TYPE", 4) && !kb->has_type)
            kb->type = x, kb->has_type = true;
        else if (!memcmp(tag, "ITER", 4) && !kb->has_iter)
            kb->iter = x, kb->has_iter = true;
        else if (!memcmp(tag, "DPIC", 4) && !kb->has_dpic)
            kb->dpic = x, kb->has_dpic = true;
        else if (!memcmp(tag, "WRAP", 4) && !*seen_wrap)
            kb->wrap = x, *seen_wrap = true;
        return SPY_OK;
    }
    if (!memcmp(tag, "SALT", 4))
        return salt_tag(kb->salt, &kb->salt_len, "SALT", v, len, why);
    if (!memcmp(tag, "DPSL", 4))
        return salt_tag(kb->dpsl, &kb->dpsl_len, "DPSL", v, len, why);
    return SPY_OK; /* HMCK, DPWT and unknown tags: not needed to decrypt */
}

static int validate(const spy_keybag *kb, char **why)
{
    if (kb->has_type && kb->type > 3)
        return kb_fail(why, "keybag TYPE %u is not a known keybag type", kb->type);
    if (!kb->salt_len)
        return kb_fail(why, "the keybag has no SALT");
    if (!kb->has_iter || kb->iter == 0 || kb->iter > SPY_KEYBAG_MAX_ITER)
        return kb_fail(why, "keybag ITER %u is missing, zero or absurd (at most %u)", kb->iter,
                       SPY_KEYBAG_MAX_ITER);
    if ((kb->dpsl_len != 0) != kb->has_dpic)
        return kb_fail(why, "the keybag has %s without %s", kb->has_dpic ? "DPIC" : "DPSL",
                       kb->has_dpic ? "DPSL" : "DPIC");
    if (kb->has_dpic && (kb->dpic == 0 || kb->dpic > SPY_KEYBAG_MAX_DPIC))
        return kb_fail(why, "keybag DPIC %u is zero or absurd (at most %u)", kb->dpic,
                       SPY_KEYBAG_MAX_DPIC);
    for (unsigned c = 1; c <= SPY_KEYBAG_MAX_CLASS; c++)
        if (kb->present[c] && kb->cls[c].has_wpky)
            return SPY_OK;
    return kb_fail(why, "the keybag holds no wrapped class key");
}

int spy_keybag_parse(const void *buf, size_t len, spy_keybag *out, char **why)
{
    const uint8_t *p = buf;
    memset(out, 0, sizeof *out);
    if (why)
        *why = NULL;
    if (!buf || len == 0)
        return kb_fail(why, "the keybag is empty");
    if (len > SPY_KEYBAG_MAX_BYTES)
        return kb_fail(why, "the keybag is %zu bytes long (at most %u)", len, SPY_KEYBAG_MAX_BYTES);
    kb_pending pend = {0};
    bool seen_uuid = false, seen_wrap = false;
    int err = SPY_OK;
    size_t pos = 0;
    while (err == SPY_OK && len - pos >= 8) {
        const uint8_t *tag = p + pos;
        uint32_t n = be32(p + pos + 4);
        pos += 8;
        if (n > len - pos) {
            char t[5];
            tag_text(tag, t);
            err = kb_fail(why, "keybag tag %s claims %u bytes but %zu remain (truncated)", t, n,
                          len - pos);
            break;
        }
        const uint8_t *v = p + pos;
        pos += n;
        if (!memcmp(tag, "UUID", 4)) {
            if (!seen_uuid) {
                if (n != 16)
                    err = kb_fail(why, "keybag UUID is %u bytes instead of 16", n);
                else
                    memcpy(out->uuid, v, 16);
                seen_uuid = true;
            } else if ((err = finish_class(out, &pend, why)) == SPY_OK) {
                pend = (kb_pending){.active = true};
            }
        } else if (pend.active) {
            err = class_tag(&pend, tag, v, n, why);
        } else {
            err = header_tag(out, tag, v, n, &seen_wrap, why);
        }
    }
    if (err == SPY_OK)
        err = finish_class(out, &pend, why);
    if (err == SPY_OK)
        err = validate(out, why);
    if (err != SPY_OK)
        memset(out, 0, sizeof *out);
    return err;
}

bool spy_keybag_has_dp(const spy_keybag *kb)
{
    return kb->has_dpic && kb->dpsl_len;
}
