/* The plist artifacts of gen_ios_backup (the nine plist modules' files) at
 * the sizes a heavily used phone has, so the large-backup bench measures
 * all 28 backup modules. */
#ifndef SPY_GEN_IOS_PLISTS_H
#define SPY_GEN_IOS_PLISTS_H

#include "backup_fixture.h"

#include <stddef.h>

typedef struct gen_plist_counts {
    long apps, profiles, profile_events, id_entries, locationd_clients, adaily_procs, webkit_items,
        global_keys;
    size_t info_bytes; /* Info.plist as written */
} gen_plist_counts;

/* Adds the configuration-profile stubs, MCProfileEvents.plist, the
 * idstatuscache, locationd's clients.plist, the OS analytics baseline, two
 * WebKit session resource logs and .GlobalPreferences.plist (binary, as the
 * device writes them) as backup files. */
void gen_ios_plist_files(bf_backup *b, double scale, gen_plist_counts *c);

/* Writes <dir>/Info.plist (XML, as the host writes it) with the device
 * fields and an Applications dictionary (each app's iTunesMetadata binary
 * plist, icon and SINF). Call after bf_finish(). */
void gen_ios_info_plist(const char *dir, double scale, gen_plist_counts *c);

#endif
