-- TCC.db (HomeDomain Library/TCC/TCC.db, iOS 14+ "v3" layout: auth_value and
-- auth_reason), the privacy grants spec/ios.md §5.14 reads; last_modified is
-- Unix seconds. Planted values: see ../PLANTED.md.
CREATE TABLE admin (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
CREATE TABLE policies (id INTEGER NOT NULL PRIMARY KEY, bundle_id TEXT NOT NULL, uuid TEXT NOT NULL,
  display TEXT NOT NULL, UNIQUE (bundle_id, uuid));
CREATE TABLE active_policy (client TEXT NOT NULL, client_type INTEGER NOT NULL, policy_id INTEGER NOT NULL,
  PRIMARY KEY (client, client_type),
  FOREIGN KEY (policy_id) REFERENCES policies(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE access (service TEXT NOT NULL, client TEXT NOT NULL, client_type INTEGER NOT NULL,
  auth_value INTEGER NOT NULL, auth_reason INTEGER NOT NULL, auth_version INTEGER NOT NULL,
  csreq BLOB, policy_id INTEGER, indirect_object_identifier_type INTEGER,
  indirect_object_identifier TEXT NOT NULL DEFAULT 'UNUSED', indirect_object_code_identity BLOB,
  flags INTEGER, last_modified INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),
  pid INTEGER, pid_version INTEGER, boot_uuid TEXT NOT NULL DEFAULT 'UNUSED', last_reminded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (service, client, client_type, indirect_object_identifier),
  FOREIGN KEY (policy_id) REFERENCES policies(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE access_overrides (service TEXT NOT NULL PRIMARY KEY);
CREATE TABLE expired (service TEXT NOT NULL, client TEXT NOT NULL, client_type INTEGER NOT NULL,
  csreq BLOB, last_modified INTEGER NOT NULL, expired_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),
  PRIMARY KEY (service, client, client_type));
CREATE INDEX loc_access_index ON access(client, client_type);

INSERT INTO admin VALUES ('version', 22);
INSERT INTO access (service, client, client_type, auth_value, auth_reason, auth_version, flags, last_modified) VALUES
  ('kTCCServiceAddressBook', 'net.whatsapp.WhatsApp', 0, 2, 2, 1, 0, 1663000000),
  ('kTCCServiceMicrophone', 'net.whatsapp.WhatsApp', 0, 2, 2, 1, 0, 1663000120),
  ('kTCCServiceCamera', 'net.whatsapp.WhatsApp', 0, 2, 2, 1, 0, 1663000130),
  ('kTCCServicePhotos', 'com.spotify.client', 0, 0, 2, 1, 0, 1671000000),
  ('kTCCServiceMediaLibrary', 'com.spotify.client', 0, 2, 2, 1, 0, 1671000010),
  ('kTCCServiceCamera', 'ch.sbb.mobile', 0, 0, 3, 1, 0, 1675000000),
  ('kTCCServicePhotos', 'com.apple.mobileslideshow', 0, 3, 4, 1, 0, 1660000000),
  ('kTCCServiceUbiquity', 'com.apple.mobilesafari', 0, 2, 4, 1, 0, 1660000100),
  -- Planted: demo indicator process demoimplantd, granted the microphone by path.
  ('kTCCServiceMicrophone', '/private/var/db/demo.staging/demoimplantd', 1, 2, 4, 1, 0, 1686564120);
