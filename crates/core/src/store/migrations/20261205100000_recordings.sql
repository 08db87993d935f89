-- Recordings archived on this computer (`<data dir>/archive/...`), one row a call once its
-- recording was fetched ('archived': the file at `path`, relative to the archive folder, holds
-- `bytes` bytes whose SHA-256 is `sha256`) or Vapi answered it has none ('none'). No foreign key
-- to `calls`: emptying the cache (`cache rebuild`) must not forget files already on disk.
CREATE TABLE call_recordings (
    call_id     TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('archived', 'none')),
    path        TEXT,
    bytes       INTEGER,
    sha256      TEXT,
    recorded_at TEXT NOT NULL,
    CHECK (state = 'none' OR (path IS NOT NULL AND bytes IS NOT NULL AND sha256 IS NOT NULL))
) STRICT;
CREATE INDEX call_recordings_org ON call_recordings (org_id);
-- Vapi's `subscription.callRetentionDays` of the org, as its last sync read it (NULL: unknown).
ALTER TABLE client_orgs ADD COLUMN call_retention_days INTEGER;
-- "Archive new recordings after each sync" (Settings, `agencydesk recordings after-sync on|off`).
ALTER TABLE agency_settings ADD COLUMN archive_after_sync INTEGER NOT NULL DEFAULT 0
    CHECK (archive_after_sync IN (0, 1));
