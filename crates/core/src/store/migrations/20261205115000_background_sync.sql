-- How often the open app syncs every linked org in the background, in minutes; NULL while the
-- default (15) applies.
ALTER TABLE agency_settings ADD COLUMN background_sync_minutes INTEGER
    CHECK (background_sync_minutes BETWEEN 5 AND 1440);
