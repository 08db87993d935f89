-- When an org's key was found missing from the keychain (deleted outside agencydesk), so its
-- status can say "link this org again" until it is. The `status` CHECK of the first schema
-- cannot be widened without rebuilding the table (and its foreign keys), so the org reads as
-- 'key_missing' while this is set and its status is 'linked' (store/clients.rs); linking again
-- clears it.
ALTER TABLE client_orgs ADD COLUMN key_missing_at TEXT;
