-- agencydesk's first schema.
--
-- No secrets anywhere in this database: Vapi private keys live in the OS keychain, and rows only
-- carry a fingerprint of the key (first 8 hex digits of its SHA-256) so the UI can show which key
-- is linked. Timestamps are TEXT in ISO 8601 UTC with milliseconds (2026-11-22T18:03:00.123Z),
-- which sorts correctly as text. Money is INTEGER micro-USD, never floating point.

-- The agency itself: exactly one row.
CREATE TABLE agency (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('live', 'demo')),
    created_at TEXT NOT NULL
) STRICT;

-- Every Vapi org agencydesk knows: the agency's own org (kind 'agency', at most one) and the
-- client orgs. The id is Vapi's org id.
CREATE TABLE client_orgs (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    base_url        TEXT NOT NULL,
    -- NULL while the org waits for its key (status 'pending_key').
    key_fingerprint TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('agency', 'client')),
    status          TEXT NOT NULL CHECK (status IN ('linked', 'pending_key', 'key_rejected')),
    linked_at       TEXT,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX client_orgs_one_agency ON client_orgs (kind) WHERE kind = 'agency';

-- Assistants as last seen through the org's key. `raw` is the JSON Vapi returned, with
-- secret-looking fields (credentials, server secrets) removed before storing.
CREATE TABLE assistants (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    name       TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    raw        TEXT NOT NULL
) STRICT;
CREATE INDEX assistants_org ON assistants (org_id);

-- API tokens (keys) of each org, without private values.
--
-- `value` is cached ONLY for tag = 'public'. Public keys are published in client web pages by
-- design (the Web SDK needs them in the browser), so storing them is no new exposure, and the
-- embed snippets that contain them must keep working offline. A private token's value is as
-- powerful as the org's private key; it is never stored, here or anywhere else. The CHECK below
-- makes that a database rule, not just a convention.
CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    name         TEXT,
    restrictions TEXT,
    enabled      INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    value        TEXT CHECK (value IS NULL OR tag = 'public')
) STRICT;
CREATE INDEX tokens_org ON tokens (org_id, tag);

-- Progress of the call sync per org.
CREATE TABLE sync_state (
    org_id            TEXT PRIMARY KEY REFERENCES client_orgs (id) ON DELETE CASCADE,
    -- Newest `createdAt` and `updatedAt` fully synced; the next incremental sync asks for
    -- calls updated since `updated_watermark` so settling costs are picked up.
    created_watermark TEXT,
    updated_watermark TEXT,
    last_sync_at      TEXT,
    last_error        TEXT
) STRICT;

CREATE TABLE calls (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    assistant_id     TEXT,
    phone_number_id  TEXT,
    type             TEXT,
    status           TEXT,
    ended_reason     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    started_at       TEXT,
    ended_at         TEXT,
    duration_seconds REAL,
    -- Micro-USD (1 USD = 1,000,000). NULL until Vapi reports the amount.
    cost_micros      INTEGER,
    transport_micros INTEGER,
    stt_micros       INTEGER,
    llm_micros       INTEGER,
    tts_micros       INTEGER,
    vapi_micros      INTEGER,
    chat_micros      INTEGER,
    minutes          REAL,
    -- The call JSON as Vapi returned it (secret-looking fields removed); encoding decided by
    -- the sync (plain or compressed), hence BLOB.
    raw              BLOB NOT NULL
) STRICT;
CREATE INDEX calls_org_created ON calls (org_id, created_at);
CREATE INDEX calls_org_updated ON calls (org_id, updated_at);
CREATE INDEX calls_org_assistant_created ON calls (org_id, assistant_id, created_at);
