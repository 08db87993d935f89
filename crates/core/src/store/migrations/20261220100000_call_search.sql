-- Full-text search over the cached calls' transcripts and summaries (see store/call_search.rs).
--
-- The text is stored once, in the call's compressed JSON: calls_fts is contentless (the index
-- only; snippets are cut from the call's JSON when shown), with contentless_delete so a call
-- whose JSON changes (costs settling) is indexed again in place. `facets` holds one token each
-- for the call's org, assistant and endedReason, so a search narrowed to a client intersects
-- inside the index.
--
-- A document's rowid is a time key, createdAt in epoch milliseconds times 1024 plus a slot
-- (calls created in the same millisecond take the next free slot): the index then yields its
-- matches newest first by itself, and stops after a page instead of sorting every match.
CREATE VIRTUAL TABLE calls_fts USING fts5(
    transcript,
    summary,
    facets,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Fewer, larger merges while a sync writes: measured about a quarter less indexing time than
-- the default of 4, for an index a few percent larger.
INSERT INTO calls_fts (calls_fts, rank) VALUES ('automerge', 8);

-- Which time key each indexed call has (calls.rowid never changes: nothing runs VACUUM).
CREATE TABLE call_search (
    call_rowid INTEGER PRIMARY KEY,
    key        INTEGER NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER calls_search_delete AFTER DELETE ON calls
BEGIN
    DELETE FROM calls_fts WHERE rowid = (SELECT key FROM call_search WHERE call_rowid = old.rowid);
    DELETE FROM call_search WHERE call_rowid = old.rowid;
END;

-- Calls cached before this migration are indexed by the application on its next start
-- (their JSON is compressed, which SQL cannot read), in batches from this rowid up; the row is
-- removed when done. None when the cache is empty.
CREATE TABLE call_search_backfill (
    next_rowid INTEGER NOT NULL
) STRICT;
INSERT INTO call_search_backfill (next_rowid) SELECT rowid FROM calls ORDER BY rowid LIMIT 1;
