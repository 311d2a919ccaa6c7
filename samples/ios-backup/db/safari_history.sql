-- Safari History.db (AppDomain-com.apple.mobilesafari Library/Safari/History.db,
-- iOS 16), the tables spec/ios.md §5.13 joins. visit_time is Mac absolute
-- time in seconds (REAL). Planted values: see ../PLANTED.md.
PRAGMA user_version = 20;
CREATE TABLE history_items (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL UNIQUE,
  domain_expansion TEXT NULL, visit_count INTEGER NOT NULL, daily_visit_counts BLOB NOT NULL,
  weekly_visit_counts BLOB NULL, autocomplete_triggers BLOB NULL,
  should_recompute_derived_visit_counts INTEGER NOT NULL, visit_count_score INTEGER NOT NULL,
  status_code INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_visits (id INTEGER PRIMARY KEY AUTOINCREMENT,
  history_item INTEGER NOT NULL REFERENCES history_items(id) ON DELETE CASCADE,
  visit_time REAL NOT NULL, title TEXT NULL, load_successful BOOLEAN NOT NULL DEFAULT 1,
  http_non_get BOOLEAN NOT NULL DEFAULT 0, synthesized BOOLEAN NOT NULL DEFAULT 0,
  redirect_source INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,
  redirect_destination INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,
  origin INTEGER NOT NULL DEFAULT 0, generation INTEGER NOT NULL DEFAULT 0,
  attributes INTEGER NOT NULL DEFAULT 0, score INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_tombstones (id INTEGER PRIMARY KEY AUTOINCREMENT, start_time REAL NOT NULL,
  end_time REAL NOT NULL, url TEXT, generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE metadata (key TEXT NOT NULL UNIQUE, value);
CREATE TABLE history_client_versions (client_version INTEGER PRIMARY KEY, last_seen REAL NOT NULL);
CREATE TABLE history_event_listeners (listener_name TEXT PRIMARY KEY NOT NULL UNIQUE,
  last_seen REAL NOT NULL);
CREATE TABLE history_events (id INTEGER PRIMARY KEY AUTOINCREMENT, event_type TEXT NOT NULL,
  event_time REAL NOT NULL, pending_listeners TEXT NOT NULL, value BLOB);
CREATE TABLE history_tags (id INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL,
  level INTEGER NOT NULL, identifier TEXT NOT NULL, title TEXT NOT NULL, modification_timestamp REAL NOT NULL,
  item_count INTEGER NOT NULL DEFAULT 0, UNIQUE(type, identifier));
CREATE TABLE history_items_to_tags (history_item INTEGER NOT NULL REFERENCES history_items(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES history_tags(id) ON DELETE CASCADE, timestamp REAL NOT NULL,
  UNIQUE(history_item, tag_id));
CREATE INDEX history_items__domain_expansion ON history_items (domain_expansion);
CREATE INDEX history_visits__last_visit ON history_visits (history_item, visit_time DESC, synthesized ASC);
CREATE INDEX history_visits__origin ON history_visits (origin, generation);

INSERT INTO metadata VALUES ('version', 20);
INSERT INTO history_client_versions VALUES (1, 708429600.0);

INSERT INTO history_items (id, url, domain_expansion, visit_count, daily_visit_counts,
  should_recompute_derived_visit_counts, visit_count_score, status_code) VALUES
  (1, 'https://www.srf.ch/news', 'srf', 3, X'03000000', 0, 300, 200),
  (2, 'https://en.wikipedia.org/wiki/Matterhorn', 'en.wikipedia', 1, X'01000000', 0, 100, 200),
  (3, 'http://sbb.ch/', 'sbb', 1, X'01000000', 0, 100, 301),
  (4, 'https://www.sbb.ch/en', 'sbb', 1, X'01000000', 0, 100, 200),
  (5, 'https://www.meteoswiss.admin.ch/', 'meteoswiss.admin', 2, X'02000000', 0, 200, 200),
  -- Planted: demo indicator domain weather-demo-spyware.example.net.
  (6, 'https://weather-demo-spyware.example.net/forecast/zurich?src=sms', 'weather-demo-spyware.example', 1, X'01000000', 0, 100, 200),
  -- Planted: real NSO Pegasus domain free247downloads.com (the SMS link, opened).
  (7, 'https://bun54l2b67.get1tn0w.free247downloads.com/szev4hy', 'bun54l2b67.get1tn0w.free247downloads', 1, X'01000000', 0, 100, 200),
  -- Planted: demo indicator address 192.0.2.66 (TEST-NET-1, never routed).
  (8, 'http://192.0.2.66:8080/update/check', NULL, 1, X'01000000', 0, 100, 200),
  (9, 'https://www.apple.com/ch-de/iphone/', 'apple', 1, X'01000000', 0, 100, 200);

-- Visit 4 -> 5 is an http->https upgrade of the same site (not a suspicious redirect).
INSERT INTO history_visits (id, history_item, visit_time, title, load_successful, redirect_source, redirect_destination, origin, generation) VALUES
  (1, 1, 707990400.125, 'News - SRF', 1, NULL, NULL, 0, 1),
  (2, 2, 708000000.5, 'Matterhorn - Wikipedia', 1, NULL, NULL, 0, 1),
  (3, 1, 708076800.25, 'News - SRF', 1, NULL, NULL, 0, 1),
  (4, 3, 708163200.0, NULL, 1, NULL, 5, 0, 1),
  (5, 4, 708163200.412, 'SBB CFF FFS', 1, 4, NULL, 0, 1),
  (6, 5, 708166800.75, 'MeteoSwiss', 1, NULL, NULL, 0, 1),
  (7, 6, 708256920.5, 'Weather forecast', 1, NULL, NULL, 0, 1),
  (8, 7, 708343260.0, NULL, 0, NULL, NULL, 0, 1),
  (9, 8, 708343262.3, NULL, 0, NULL, NULL, 0, 1),
  (10, 5, 708430000.0, 'MeteoSwiss', 1, NULL, NULL, 0, 1),
  (11, 9, 708431000.0, 'iPhone - Apple (CH)', 1, NULL, NULL, 0, 1),
  (12, 1, 708432000.0, 'News - SRF', 1, NULL, NULL, 0, 1);
