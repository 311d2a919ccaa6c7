#include "core/summary.h"

#include "core/error.h"

static const char *status_text(const spy_mod_stats *s)
{
    switch (s->status) {
    case SPY_MODST_OK: return s->skipped ? "partial" : "ok";
    case SPY_MODST_ABSENT: return "absent";
    case SPY_MODST_FAILED: return "FAILED";
    case SPY_MODST_FAST: return "skipped";
    }
    return "?";
}

static const spy_level levels[5] = {SPY_LEVEL_INFORMATIONAL, SPY_LEVEL_LOW, SPY_LEVEL_MEDIUM,
                                    SPY_LEVEL_HIGH, SPY_LEVEL_CRITICAL};

static void print_table(FILE *f, const spy_run *r, size_t n)
{
    fprintf(f, "\n%-32s %-8s %9s %6s %6s %6s %6s %6s %8s\n", "Module", "Status", "Records", "INFO",
            "LOW", "MED", "HIGH", "CRIT", "Seconds");
    for (size_t i = 0; i < n; i++) {
        const spy_mod_stats *s = &r->stats[i];
        fprintf(f, "%-32s %-8s %9zu %6zu %6zu %6zu %6zu %6zu %8.3f\n", s->module->name,
                status_text(s), s->records, s->alerts[0], s->alerts[1], s->alerts[2], s->alerts[3],
                s->alerts[4], s->seconds);
        if (s->status == SPY_MODST_FAILED)
            fprintf(f, "%-32s   failure: %s\n", "", spy_err_str(s->err));
        else if (s->skipped)
            fprintf(f, "%-32s   %zu unreadable entries skipped\n", "", s->skipped);
    }
}

void spy_summary_print(FILE *f, const spy_run *r, size_t n, const char *output_path)
{
    spy_summary_print_note(f, r, n, output_path, NULL);
}

void spy_summary_print_note(FILE *f, const spy_run *r, size_t n, const char *output_path,
                            const char *note)
{
    size_t counts[5] = {0}, failed = 0;
    for (size_t i = 0; i < r->alerts.n; i++)
        counts[spy_level_index(r->alerts.v[i].level)]++;
    for (size_t i = 0; i < n; i++)
        failed += r->stats[i].status == SPY_MODST_FAILED;
    print_table(f, r, n);
    fprintf(f, "\nALERTS\n");
    for (int l = 0; l < 5; l++)
        fprintf(f, "  spyscan produced %zu %s alerts.\n", counts[l], spy_level_name(levels[l]));
    if (failed)
        fprintf(f, "\n%zu module(s) FAILED: their artifacts were not fully checked.\n", failed);
    if (output_path)
        fprintf(f, "Results written to %s\n", output_path);
    if (note)
        fprintf(f, "\nNOTE: %s\n", note);
    if (spy_run_has_findings(r))
        fprintf(f,
                "\nWARNING: spyscan produced HIGH or CRITICAL alerts. Only a careful review by an\n"
                "expert can tell whether they are signs of an attack.\n");
    else
        fprintf(f, "\nNOTE: the absence of severe alerts does not prove the device is clean.\n");
    fprintf(
        f,
        "If you suspect a spyware attack, seek help from a reputable expert, such as\n"
        "Amnesty International's Security Lab: https://securitylab.amnesty.org/get-help/?c=mvt\n");
}

void spy_summary_progress(const spy_mod_stats *s, size_t index, size_t n)
{
    size_t alerts = 0, severe = 0;
    for (int l = 0; l < 5; l++)
        alerts += s->alerts[l];
    severe = s->alerts[3] + s->alerts[4];
    char tail[96] = "";
    if (alerts)
        snprintf(tail, sizeof tail, ", %zu alert%s (%zu HIGH/CRITICAL)", alerts,
                 alerts == 1 ? "" : "s", severe);
    fprintf(stderr, "[%2zu/%zu] %-30s %-8s %9zu records%s, %.2f s\n", index + 1, n, s->module->name,
            status_text(s), s->records, tail, s->seconds);
}
