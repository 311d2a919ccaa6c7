/* AQFPackages (spec/android.md §4.14): AndroidQF's packages.json, each
 * package kept as it is. Heuristics on root packages, installers and
 * disabled security/update packages; indicators on the package name, APK
 * SHA-256 and signing-certificate hashes. VirusTotal is never queried:
 * spyscan makes no network requests. */
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "modules/android/android_lists.h"
#include "modules/android/aqf_util.h"
#include "modules/module_kit.h"

#include <stdlib.h>
#include <string.h>

typedef struct pk_state {
    spy_mod_ctx *ctx;
    size_t n, skipped;
    int err;
} pk_state;

static int pk_elem(json_t *v, void *ud)
{
    pk_state *s = ud;
    if (!json_is_object(v)) {
        s->skipped++;
        json_decref(v);
        return SPY_OK;
    }
    s->n++;
    return s->err = spy_emit(s->ctx, v);
}

static int pk_run(spy_mod_ctx *ctx)
{
    char *text = NULL, *label = NULL;
    size_t len = 0;
    int err =
        spy_aqf_read_first(ctx, "*/packages.json", SPY_AQF_MAX_PACKAGES_BYTES, &text, &len, &label);
    if (err == SPY_ENOTFOUND)
        spy_error(spy_ctx_logger(ctx),
                  "packages.json file not found in this androidqf bundle. Possibly malformed?");
    if (err != SPY_OK)
        return err;
    pk_state s = {ctx, 0, 0, SPY_OK};
    spy_aqf_json_stats st;
    err = spy_aqf_json_foreach(&text, &len, false, pk_elem, &s, &st);
    if (err == SPY_EFORMAT && s.n == 0) {
        spy_error(spy_ctx_logger(ctx), "Unable to parse %s: %s", label, st.why);
    } else if (err == SPY_EFORMAT) {
        spy_skipped(ctx, 1, "%s: %s after %zu packages", label, st.why, s.n);
        err = SPY_OK;
    }
    if (s.skipped)
        spy_skipped(ctx, s.skipped, "%s: entries that are not packages", label);
    spy_info(spy_ctx_logger(ctx), "Found %zu packages in packages.json", s.n);
    free(text);
    free(label);
    return err;
}

static void installer_checks(spy_mod_ctx *ctx, const json_t *r, const char *name)
{
    const char *inst = spy_kit_str(r, "installer");
    if (!inst)
        return;
    if (spy_android_third_party_store(inst))
        spy_alert_raise(ctx, SPY_LEVEL_INFORMATIONAL, "", NULL,
                        "Found a package installed via a third party store (installer=\"%s\"): "
                        "\"%s\"",
                        inst, name);
    else if (spy_android_browser_installer(inst))
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                        "Found a package installed via a browser (installer=\"%s\"): \"%s\"", inst,
                        name);
    else if (strcmp(inst, "null") == 0 && json_is_false(json_object_get(r, "system")))
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                        "Found a non-system package installed via adb or another method: \"%s\"",
                        name);
}

static void ioc_checks(spy_mod_ctx *ctx, const json_t *r, const char *name)
{
    static const char *const CERT_KEYS[] = {"Md5", "Sha1", "Sha256"};
    spy_check_ioc_mark(ctx, SPY_CHECK_APP_ID, name, "");
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(r, "files"), i, f)
    {
        spy_check_ioc_mark(ctx, SPY_CHECK_HASH, spy_kit_str(f, "sha256"), "");
        const json_t *cert = json_object_get(f, "certificate");
        for (size_t k = 0; json_is_object(cert) && k < 3; k++)
            if (spy_check_ioc_mark(ctx, SPY_CHECK_APP_CERT, spy_kit_str(cert, CERT_KEYS[k]), ""))
                break;
    }
}

static void pk_check(spy_mod_ctx *ctx, const json_t *r)
{
    const char *name = spy_kit_str(r, "name");
    if (!name)
        name = "";
    /* a root package gets this alert only (MVT skips its other checks) */
    if (spy_android_root_package(name)) {
        spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                        "Found an installed package related to rooting/jailbreaking: \"%s\"", name);
        return;
    }
    installer_checks(ctx, r, name);
    if (json_is_true(json_object_get(r, "disabled"))) {
        if (spy_android_security_package(name))
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                            "Security package \"%s\" disabled on the phone", name);
        if (spy_android_update_package(name))
            spy_alert_raise(ctx, SPY_LEVEL_MEDIUM, "", NULL,
                            "System OTA update package \"%s\" disabled on the phone", name);
    }
    if (spy_ctx_iocs(ctx))
        ioc_checks(ctx, r, name);
}

const spy_module spy_mod_aqf_packages = {
    .name = "AQFPackages",
    .slug = "aqf_packages",
    .acquisitions = SPY_ACQ_ANDROIDQF,
    .run = pk_run,
    .check = pk_check,
};
