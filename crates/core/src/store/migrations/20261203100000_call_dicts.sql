-- Call JSON compression dictionaries (see sync/raw.rs and sync/mod.rs).
--
-- A call's JSON is mostly text every call of the same org repeats (the assistant's prompt, the
-- cost items, the transcript's phrasing); a zstd dictionary trained on an org's first calls lets
-- each stored call leave that out, about three times smaller than compressing it alone. A
-- `calls.raw` zstd frame names the dictionary it needs in its own header (the zstd dictionary
-- id), so rows need no extra column and rows stored before this migration (plain JSON, or zstd
-- without a dictionary) read as before.
--
-- `id` is the dictionary's zstd id, which the trainer derives from the dictionary's content;
-- a dictionary is never changed or deleted while its org exists, since rows depend on it. An
-- org may get a newer one (a new version) later: rows keep naming the one they were written
-- with. The trainer only sees JSON with secret-looking fields already removed.
CREATE TABLE call_dicts (
    id         INTEGER PRIMARY KEY CHECK (id BETWEEN 32768 AND 2147483647),
    org_id     TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    trained_at TEXT NOT NULL,
    -- How many calls it was trained on.
    samples    INTEGER NOT NULL CHECK (samples > 0),
    dict       BLOB NOT NULL
) STRICT;
CREATE INDEX call_dicts_org ON call_dicts (org_id, trained_at);
