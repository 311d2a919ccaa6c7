-- The newest Safari visits, still only in History.db-wal when the backup was
-- taken (Safari keeps its history in WAL mode): checks must read the -wal.
INSERT INTO history_items (id, url, domain_expansion, visit_count, daily_visit_counts,
  should_recompute_derived_visit_counts, visit_count_score, status_code) VALUES
  (10, 'https://www.google.com/search?q=zurich+weather+sunday', 'google', 1, X'01000000', 0, 100, 200);
INSERT INTO history_visits (id, history_item, visit_time, title, load_successful, origin, generation) VALUES
  (13, 10, 708433000.0, 'zurich weather sunday - Google Search', 1, 0, 1);
