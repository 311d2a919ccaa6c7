/* Every built-in module, once, in run order (MVT's order within each
 * acquisition kind, spec/ios.md §1.6). Adding a module: one file exporting
 * `const spy_module spy_mod_<slug>`, plus its line here. Lines still in
 * comments are modules not written yet. */

/* iOS backup-only, then mixed (check-backup order) */
SPY_MODULE(spy_mod_backup_info)
SPY_MODULE(spy_mod_configuration_profiles)
SPY_MODULE(spy_mod_manifest)
SPY_MODULE(spy_mod_profile_events)
SPY_MODULE(spy_mod_calls)
SPY_MODULE(spy_mod_chrome_favicon)
SPY_MODULE(spy_mod_chrome_history)
SPY_MODULE(spy_mod_contacts)
SPY_MODULE(spy_mod_firefox_favicon)
SPY_MODULE(spy_mod_firefox_history)
SPY_MODULE(spy_mod_id_status_cache)
SPY_MODULE(spy_mod_locationd_clients)
SPY_MODULE(spy_mod_os_analytics_ad_daily)
SPY_MODULE(spy_mod_datausage)
SPY_MODULE(spy_mod_safari_browser_state)
SPY_MODULE(spy_mod_safari_history)
SPY_MODULE(spy_mod_tcc)
SPY_MODULE(spy_mod_sms)
SPY_MODULE(spy_mod_sms_attachments)
SPY_MODULE(spy_mod_webkit_resource_load_statistics)
SPY_MODULE(spy_mod_webkit_session_resource_log)
SPY_MODULE(spy_mod_whatsapp)
SPY_MODULE(spy_mod_whatsapp_contacts)
SPY_MODULE(spy_mod_interaction_c)
SPY_MODULE(spy_mod_shortcuts)
SPY_MODULE(spy_mod_applications)
SPY_MODULE(spy_mod_calendar)
SPY_MODULE(spy_mod_global_preferences)

/* Android bug report (check-bugreport order, spec/android.md §3) */
SPY_MODULE(spy_mod_dumpsys_accessibility)
SPY_MODULE(spy_mod_dumpsys_activities)
SPY_MODULE(spy_mod_dumpsys_appops)
SPY_MODULE(spy_mod_dumpsys_battery_daily)
SPY_MODULE(spy_mod_dumpsys_battery_history)
SPY_MODULE(spy_mod_dbinfo)
SPY_MODULE(spy_mod_dumpsys_get_prop)
SPY_MODULE(spy_mod_dumpsys_packages)
SPY_MODULE(spy_mod_dumpsys_platform_compat)
SPY_MODULE(spy_mod_dumpsys_receivers)
SPY_MODULE(spy_mod_dumpsys_adb_state)
SPY_MODULE(spy_mod_bugreport_timestamps)
SPY_MODULE(spy_mod_tombstones)

/* AndroidQF (check-androidqf order, spec/android.md §1.3.3) */
SPY_MODULE(spy_mod_aqf_packages)
SPY_MODULE(spy_mod_aqf_processes)
SPY_MODULE(spy_mod_aqf_get_prop)
SPY_MODULE(spy_mod_aqf_settings)
SPY_MODULE(spy_mod_aqf_files)
SPY_MODULE(spy_mod_aqf_log_timestamps)
SPY_MODULE(spy_mod_root_binaries)
SPY_MODULE(spy_mod_mounts)

/* Android backup (check-backup) */
SPY_MODULE(spy_mod_android_sms)

/* Android intrusion logs (check-intrusion-logs) */
SPY_MODULE(spy_mod_dns_event)
SPY_MODULE(spy_mod_connect_event)
SPY_MODULE(spy_mod_security_event)
