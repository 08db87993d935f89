-- Call sync: the state of an unfinished pass, and the indexes of the calls view.
--
-- A "pass" reads every call matching one filter (all calls, or those updated since the
-- watermark), newest createdAt first. Its state below is written in the same transaction as each
-- page of calls, so a sync stopped at any point resumes where the database says it was. The
-- watermark (sync_state.updated_watermark) only moves when a pass completes. See sync/mod.rs.

-- When the unfinished pass started (NULL: no pass under way). The watermark the pass sets when it
-- completes is derived from this time, never from the calls it saw.
ALTER TABLE sync_state ADD COLUMN pass_started_at TEXT;
-- The pass's `updatedAtGe` filter; NULL while the pass reads the whole history.
ALTER TABLE sync_state ADD COLUMN pass_since TEXT;
-- `createdAtLe` of the pass's next page; NULL before its first page.
ALTER TABLE sync_state ADD COLUMN pass_cursor TEXT;
ALTER TABLE sync_state ADD COLUMN pass_pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN pass_calls INTEGER NOT NULL DEFAULT 0;

-- The calls view pages by (created_at, id) descending (keyset pagination), per org, optionally
-- filtered by assistant: one index serves both, the assistant being checked in the index
-- entries. It replaces the two narrower indexes of the first schema (prefixes of it or of
-- calls_billing): every synced call then updates one index fewer.
DROP INDEX calls_org_created;
DROP INDEX calls_org_assistant_created;
CREATE INDEX calls_view ON calls (org_id, created_at, id, assistant_id);
