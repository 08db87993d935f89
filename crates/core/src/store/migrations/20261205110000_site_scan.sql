-- Site exposure scan. `site_urls`: the pages to scan for each client org (none stored means the
-- origins its public keys allow). `site_scans`: each org's last scan, findings as JSON with keys
-- as fingerprints only. `retired_public_keys`: public keys that left the token list (deleted at
-- Vapi, or unlinked with their org), kept so a page still carrying one can be flagged; public
-- keys are published in pages by design, so keeping their values is no more than `tokens` does.
CREATE TABLE site_urls (
    org_id   TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    url      TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (org_id, url)
) STRICT;

CREATE TABLE site_scans (
    org_id     TEXT PRIMARY KEY REFERENCES client_orgs (id) ON DELETE CASCADE,
    scanned_at TEXT NOT NULL,
    report     TEXT NOT NULL
) STRICT;

CREATE TABLE retired_public_keys (
    value      TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    retired_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER tokens_retire_public AFTER DELETE ON tokens
WHEN old.tag = 'public' AND old.value IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO retired_public_keys (value, org_id, key_id, retired_at)
    VALUES (old.value, old.org_id, old.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
