-- A call's `analysis.successEvaluation` as a pass/fail verdict (1 pass, 0 fail), read at sync
-- time so the monthly client report counts its success rate without decompressing each call's
-- JSON. NULL: no evaluation, or a score that is no verdict (see vapi/success.rs).
ALTER TABLE calls ADD COLUMN success INTEGER CHECK (success IN (0, 1));

-- Calls cached before this migration get theirs from their compressed JSON, which SQL cannot
-- read: the application does it in batches from this rowid up (sync/success_backfill.rs, as the
-- search index's backfill) and removes the row when done. None when the cache is empty.
CREATE TABLE call_success_backfill (
    next_rowid INTEGER NOT NULL
) STRICT;
INSERT INTO call_success_backfill (next_rowid) SELECT rowid FROM calls ORDER BY rowid LIMIT 1;
