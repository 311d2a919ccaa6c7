-- sms.db of an iPhone on iOS 16 (HomeDomain Library/SMS/sms.db): the tables
-- and columns Messages keeps, as spec/ios.md §5.15-5.16 reads them, with a
-- short conversation history. Dates are Mac absolute time in nanoseconds
-- (18 digits, iOS 11+). Planted values: see ../PLANTED.md.
PRAGMA user_version = 17200;
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL,
  country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT,
  UNIQUE (id, service));
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER,
  state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT,
  room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT,
  display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0, successful_query INTEGER,
  engram_id TEXT, server_change_token TEXT, ck_sync_state INTEGER DEFAULT 0,
  original_group_id TEXT DEFAULT NULL, last_read_message_timestamp INTEGER DEFAULT 0,
  cloudkit_record_id TEXT DEFAULT NULL, last_addressed_sim_id TEXT DEFAULT NULL,
  is_blackholed INTEGER DEFAULT 0, syndication_date INTEGER DEFAULT 0,
  syndication_type INTEGER DEFAULT 0, is_recovered INTEGER DEFAULT 0);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
  replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT,
  country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0,
  service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER,
  date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0,
  is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0,
  is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0,
  is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0,
  is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0,
  is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0, is_archive INTEGER DEFAULT 0,
  cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0,
  was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0,
  date_played INTEGER, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0,
  group_title TEXT, group_action_type INTEGER DEFAULT 0, share_status INTEGER DEFAULT 0,
  share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0,
  message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0,
  associated_message_guid TEXT DEFAULT NULL, associated_message_type INTEGER DEFAULT 0,
  balloon_bundle_id TEXT DEFAULT NULL, payload_data BLOB, expressive_send_style_id TEXT DEFAULT NULL,
  associated_message_range_location INTEGER DEFAULT 0,
  associated_message_range_length INTEGER DEFAULT 0, time_expressive_send_played INTEGER DEFAULT 0,
  message_summary_info BLOB DEFAULT NULL, ck_sync_state INTEGER DEFAULT 0,
  ck_record_id TEXT DEFAULT NULL, ck_record_change_tag TEXT DEFAULT NULL,
  destination_caller_id TEXT DEFAULT NULL, is_corrupt INTEGER DEFAULT 0,
  reply_to_guid TEXT DEFAULT NULL, sort_id INTEGER DEFAULT 0, is_spam INTEGER DEFAULT 0,
  has_unseen_mention INTEGER DEFAULT 0, thread_originator_guid TEXT DEFAULT NULL,
  thread_originator_part TEXT DEFAULT NULL, syndication_ranges TEXT DEFAULT NULL,
  synced_syndication_ranges TEXT DEFAULT NULL, was_delivered_quietly INTEGER DEFAULT 0,
  did_notify_recipient INTEGER DEFAULT 0, date_retracted INTEGER DEFAULT 0,
  date_edited INTEGER DEFAULT 0, was_detonated INTEGER DEFAULT 0, part_count INTEGER DEFAULT 0,
  is_stewie INTEGER DEFAULT 0, is_kt_verified INTEGER DEFAULT 0, is_sos INTEGER DEFAULT 0,
  is_critical INTEGER DEFAULT 0, bia_reference_id TEXT DEFAULT NULL, fallback_hash TEXT DEFAULT NULL);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT,
  mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB,
  transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0,
  sticker_user_info BLOB, attribution_info BLOB, hide_attachment INTEGER DEFAULT 0,
  ck_sync_state INTEGER DEFAULT 0, ck_server_change_token_blob BLOB, ck_record_id TEXT,
  original_guid TEXT UNIQUE NOT NULL, sr_ck_sync_state INTEGER DEFAULT 0,
  sr_ck_server_change_token_blob BLOB, sr_ck_record_id TEXT, is_commsafety_sensitive INTEGER DEFAULT 0);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0,
  PRIMARY KEY (chat_id, message_id));
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE,
  attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE,
  UNIQUE(message_id, attachment_id));
CREATE TABLE deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL);
CREATE INDEX message_idx_handle ON message(handle_id, date);
CREATE INDEX message_idx_date ON message(date);
CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id);

INSERT INTO _SqliteDatabaseProperties VALUES ('_ClientVersion', '17200');
INSERT INTO handle (ROWID, id, country, service, uncanonicalized_id, person_centric_id) VALUES
  (1, '+41791234567', 'ch', 'iMessage', NULL, NULL),
  (2, '+41797654321', 'ch', 'SMS', '0797654321', NULL),
  (3, 'anna.keller@example.ch', 'ch', 'iMessage', NULL, NULL),
  (4, '+41800800800', 'ch', 'SMS', '800800800', NULL);
INSERT INTO chat (ROWID, guid, style, state, account_id, chat_identifier, service_name, account_login, display_name) VALUES
  (1, 'iMessage;-;+41791234567', 45, 3, 'E:sample@icloud.com', '+41791234567', 'iMessage', 'E:sample@icloud.com', ''),
  (2, 'SMS;-;+41797654321', 45, 3, 'P:+41799990000', '+41797654321', 'SMS', 'P:+41799990000', ''),
  (3, 'iMessage;-;anna.keller@example.ch', 45, 3, 'E:sample@icloud.com', 'anna.keller@example.ch', 'iMessage', 'E:sample@icloud.com', ''),
  (4, 'SMS;-;+41800800800', 45, 3, 'P:+41799990000', '+41800800800', 'SMS', 'P:+41799990000', '');
INSERT INTO chat_handle_join VALUES (1, 1), (2, 2), (3, 3), (4, 4);

-- Ordinary traffic (decoys: normal links that must not match anything).
INSERT INTO message (ROWID, guid, text, handle_id, service, account, account_guid, date, date_read, date_delivered,
  is_delivered, is_finished, is_from_me, is_read, is_sent, version, type, part_count, destination_caller_id) VALUES
  (1, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E01', 'Are we still on for lunch tomorrow?', 1, 'iMessage',
   'E:sample@icloud.com', 'A0B1C2D3-0000-4000-8000-000000000001', 707994000123456789, 707994060000000000, 707994001000000000,
   1, 1, 0, 1, 0, 10, 0, 1, 'sample@icloud.com'),
  (2, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E02', 'Yes! 12:30 at the usual place', 1, 'iMessage',
   'E:sample@icloud.com', 'A0B1C2D3-0000-4000-8000-000000000001', 707994120000000000, 0, 707994121000000000,
   1, 1, 1, 0, 1, 10, 0, 1, 'sample@icloud.com'),
  (3, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E03', 'Your parcel 99.60.123456.78901234 is on its way: https://www.post.ch/en/sending-letters?shipment=99601234 Track it any time.', 2, 'SMS',
   'P:+41799990000', 'A0B1C2D3-0000-4000-8000-000000000002', 708081000000000000, 708081300000000000, 0,
   1, 1, 0, 1, 0, 10, 0, 1, NULL),
  (4, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E04', 'Photos from the weekend: https://www.icloud.com/photos/#0aBcDeFgHiJkLmNoP', 3, 'iMessage',
   'E:sample@icloud.com', 'A0B1C2D3-0000-4000-8000-000000000001', 708170400000000000, 708171000000000000, 708170401000000000,
   1, 1, 0, 1, 0, 10, 0, 1, 'sample@icloud.com'),
  (5, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E05', 'Thanks, they look great. Recipe: http://example.org/recipes/risotto', 3, 'iMessage',
   'E:sample@icloud.com', 'A0B1C2D3-0000-4000-8000-000000000001', 708171100000000000, 0, 708171101000000000,
   1, 1, 1, 0, 1, 10, 0, 1, 'sample@icloud.com');

-- Planted: demo indicator domain spyscan-demo-c2.example.com (demo-indicators.stix2).
INSERT INTO message (ROWID, guid, text, handle_id, service, account, account_guid, date, date_read, date_delivered,
  is_delivered, is_finished, is_from_me, is_read, is_sent, version, type, part_count) VALUES
  (6, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E06', 'Your account needs attention. Verify here: https://spyscan-demo-c2.example.com/verify?session=7f3a91 before 18:00.', 4, 'SMS',
   'P:+41799990000', 'A0B1C2D3-0000-4000-8000-000000000002', 708256800000000000, 708257100000000000, 0,
   1, 1, 0, 1, 0, 10, 0, 1);

-- Planted: real NSO Pegasus domain free247downloads.com (2021-07-18_nso/domains.txt).
INSERT INTO message (ROWID, guid, text, handle_id, service, account, account_guid, date, date_read, date_delivered,
  is_delivered, is_finished, is_from_me, is_read, is_sent, version, type, part_count) VALUES
  (7, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E07', 'Delivery failed. Reschedule: https://bun54l2b67.get1tn0w.free247downloads.com/szev4hy', 4, 'SMS',
   'P:+41799990000', 'A0B1C2D3-0000-4000-8000-000000000002', 708343200000000000, 708343500000000000, 0,
   1, 1, 0, 1, 0, 10, 0, 1);

-- A photo received with a normal message (attachment row for SMSAttachments).
INSERT INTO message (ROWID, guid, text, handle_id, service, account, account_guid, date, date_read, date_delivered,
  is_delivered, is_finished, is_from_me, is_read, is_sent, version, type, part_count, cache_has_attachments) VALUES
  (8, '6B1D4C8E-2F3A-4D51-9E2B-0C7A1F3D5E08', char(65532), 3, 'iMessage',
   'E:sample@icloud.com', 'A0B1C2D3-0000-4000-8000-000000000001', 708429600000000000, 708429900000000000, 708429601000000000,
   1, 1, 0, 1, 0, 10, 0, 1, 1);
INSERT INTO attachment (ROWID, guid, created_date, start_date, filename, uti, mime_type, transfer_state, is_outgoing,
  transfer_name, total_bytes, original_guid) VALUES
  (1, 'at_0_5C1E7A2B-8D44-4F0B-A2C1-93E0B7F1D001', 708429600, 0,
   '~/Library/SMS/Attachments/3a/10/5C1E7A2B-8D44-4F0B-A2C1-93E0B7F1D001/IMG_4821.HEIC', 'public.heic',
   'image/heic', 5, 0, 'IMG_4821.HEIC', 1843276, 'at_0_5C1E7A2B-8D44-4F0B-A2C1-93E0B7F1D001');
INSERT INTO message_attachment_join VALUES (8, 1);

INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES
  (1, 1, 707994000123456789), (1, 2, 707994120000000000), (2, 3, 708081000000000000),
  (3, 4, 708170400000000000), (3, 5, 708171100000000000), (4, 6, 708256800000000000),
  (4, 7, 708343200000000000), (3, 8, 708429600000000000);
