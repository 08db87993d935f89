-- A call's times as integer milliseconds since the epoch, and no phone number id column
-- (issue 8, cache size). The four ISO times took 24 bytes each in the table and again in the
-- covering index, where an integer of milliseconds takes 6; `phone_number_id` was written and
-- never read (the stored JSON keeps `phoneNumberId`). Measured on 34k simulated calls (the
-- table and index rebuilt in sqlite3): 971 to 845 bytes a call for the table, 256 to 179 for
-- the index built in one go.
--
-- The columns are renamed (`created_ms`...) so that a query still written for text fails
-- instead of comparing numbers with text. The calls keep their rowids (the search index and
-- its keys point at them). The rollups are kept: the triggers below compute the same day and
-- hour from milliseconds (tests/store_call_times.rs checks both against a recount). Dropping
-- the old table drops its triggers first, so emptying it touches no rollup.
CREATE TABLE calls_ms (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    assistant_id     TEXT,
    type             TEXT,
    status           TEXT,
    ended_reason     TEXT,
    -- Milliseconds since 1970-01-01T00:00:00Z.
    created_ms       INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL,
    started_ms       INTEGER,
    ended_ms         INTEGER,
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
    raw              BLOB NOT NULL,
    success          INTEGER CHECK (success IN (0, 1))
) STRICT;

-- Every stored time was written in one format (store/time.rs); one that somehow is not a
-- time keeps the call (at its other time, else the epoch) rather than failing the upgrade.
-- julianday() holds the millisecond exactly (its error is under a microsecond at these dates).
INSERT INTO calls_ms (rowid, id, org_id, assistant_id, type, status, ended_reason, created_ms,
                      updated_ms, started_ms, ended_ms, duration_seconds, cost_micros,
                      transport_micros, stt_micros, llm_micros, tts_micros, vapi_micros,
                      chat_micros, minutes, raw, success)
SELECT rowid, id, org_id, assistant_id, type, status, ended_reason,
       COALESCE(CAST(round((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER),
                CAST(round((julianday(updated_at) - 2440587.5) * 86400000.0) AS INTEGER), 0),
       COALESCE(CAST(round((julianday(updated_at) - 2440587.5) * 86400000.0) AS INTEGER),
                CAST(round((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 0),
       CAST(round((julianday(started_at) - 2440587.5) * 86400000.0) AS INTEGER),
       CAST(round((julianday(ended_at) - 2440587.5) * 86400000.0) AS INTEGER),
       duration_seconds, cost_micros, transport_micros, stt_micros, llm_micros, tts_micros,
       vapi_micros, chat_micros, minutes, raw, success
FROM calls ORDER BY rowid;

DROP TABLE calls;
ALTER TABLE calls_ms RENAME TO calls;

CREATE INDEX calls_view ON calls (
    org_id, created_ms, id, assistant_id, status, updated_ms, ended_ms, started_ms,
    duration_seconds, minutes, cost_micros
);

CREATE TRIGGER calls_daily_add AFTER INSERT ON calls BEGIN
    INSERT INTO calls_daily
    SELECT NEW.org_id, date(NEW.created_ms / 1000.0, 'unixepoch'), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.type, ''), 1, d.ms,
           (d.ms + 5999) / 6000 * 6000, (d.ms + 29999) / 30000 * 30000,
           (d.ms + 59999) / 60000 * 60000,
           COALESCE(NEW.cost_micros, 0), COALESCE(NEW.transport_micros, 0),
           COALESCE(NEW.stt_micros, 0), COALESCE(NEW.llm_micros, 0),
           COALESCE(NEW.tts_micros, 0), COALESCE(NEW.vapi_micros, 0),
           COALESCE(NEW.chat_micros, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, NEW.ended_ms - NEW.started_ms),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, day, assistant_id, type) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms,
        billed_ms_6 = billed_ms_6 + excluded.billed_ms_6,
        billed_ms_30 = billed_ms_30 + excluded.billed_ms_30,
        billed_ms_60 = billed_ms_60 + excluded.billed_ms_60,
        cost_micros = cost_micros + excluded.cost_micros,
        transport_micros = transport_micros + excluded.transport_micros,
        stt_micros = stt_micros + excluded.stt_micros,
        llm_micros = llm_micros + excluded.llm_micros,
        tts_micros = tts_micros + excluded.tts_micros,
        vapi_micros = vapi_micros + excluded.vapi_micros,
        chat_micros = chat_micros + excluded.chat_micros;
END;

CREATE TRIGGER calls_daily_change AFTER UPDATE ON calls BEGIN
    UPDATE calls_daily SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms,
        billed_ms_6 = billed_ms_6 - (d.ms + 5999) / 6000 * 6000,
        billed_ms_30 = billed_ms_30 - (d.ms + 29999) / 30000 * 30000,
        billed_ms_60 = billed_ms_60 - (d.ms + 59999) / 60000 * 60000,
        cost_micros = cost_micros - COALESCE(OLD.cost_micros, 0),
        transport_micros = transport_micros - COALESCE(OLD.transport_micros, 0),
        stt_micros = stt_micros - COALESCE(OLD.stt_micros, 0),
        llm_micros = llm_micros - COALESCE(OLD.llm_micros, 0),
        tts_micros = tts_micros - COALESCE(OLD.tts_micros, 0),
        vapi_micros = vapi_micros - COALESCE(OLD.vapi_micros, 0),
        chat_micros = chat_micros - COALESCE(OLD.chat_micros, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, OLD.ended_ms - OLD.started_ms),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '');
    DELETE FROM calls_daily
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '')
      AND calls = 0;
    INSERT INTO calls_daily
    SELECT NEW.org_id, date(NEW.created_ms / 1000.0, 'unixepoch'), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.type, ''), 1, d.ms,
           (d.ms + 5999) / 6000 * 6000, (d.ms + 29999) / 30000 * 30000,
           (d.ms + 59999) / 60000 * 60000,
           COALESCE(NEW.cost_micros, 0), COALESCE(NEW.transport_micros, 0),
           COALESCE(NEW.stt_micros, 0), COALESCE(NEW.llm_micros, 0),
           COALESCE(NEW.tts_micros, 0), COALESCE(NEW.vapi_micros, 0),
           COALESCE(NEW.chat_micros, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, NEW.ended_ms - NEW.started_ms),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, day, assistant_id, type) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms,
        billed_ms_6 = billed_ms_6 + excluded.billed_ms_6,
        billed_ms_30 = billed_ms_30 + excluded.billed_ms_30,
        billed_ms_60 = billed_ms_60 + excluded.billed_ms_60,
        cost_micros = cost_micros + excluded.cost_micros,
        transport_micros = transport_micros + excluded.transport_micros,
        stt_micros = stt_micros + excluded.stt_micros,
        llm_micros = llm_micros + excluded.llm_micros,
        tts_micros = tts_micros + excluded.tts_micros,
        vapi_micros = vapi_micros + excluded.vapi_micros,
        chat_micros = chat_micros + excluded.chat_micros;
END;

CREATE TRIGGER calls_daily_remove AFTER DELETE ON calls BEGIN
    UPDATE calls_daily SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms,
        billed_ms_6 = billed_ms_6 - (d.ms + 5999) / 6000 * 6000,
        billed_ms_30 = billed_ms_30 - (d.ms + 29999) / 30000 * 30000,
        billed_ms_60 = billed_ms_60 - (d.ms + 59999) / 60000 * 60000,
        cost_micros = cost_micros - COALESCE(OLD.cost_micros, 0),
        transport_micros = transport_micros - COALESCE(OLD.transport_micros, 0),
        stt_micros = stt_micros - COALESCE(OLD.stt_micros, 0),
        llm_micros = llm_micros - COALESCE(OLD.llm_micros, 0),
        tts_micros = tts_micros - COALESCE(OLD.tts_micros, 0),
        vapi_micros = vapi_micros - COALESCE(OLD.vapi_micros, 0),
        chat_micros = chat_micros - COALESCE(OLD.chat_micros, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, OLD.ended_ms - OLD.started_ms),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '');
    DELETE FROM calls_daily
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '')
      AND calls = 0;
END;

CREATE TRIGGER calls_search_delete AFTER DELETE ON calls
BEGIN
    DELETE FROM calls_fts WHERE rowid = (SELECT key FROM call_search WHERE call_rowid = old.rowid);
    DELETE FROM call_search WHERE call_rowid = old.rowid;
END;

CREATE TRIGGER report_rollup_add AFTER INSERT ON calls BEGIN
    INSERT INTO report_hours
    SELECT NEW.org_id, strftime('%Y-%m-%dT%H', NEW.created_ms / 1000.0, 'unixepoch'), 1, d.ms, NEW.success IS NOT NULL,
           COALESCE(NEW.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, NEW.ended_ms - NEW.started_ms),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, hour) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms,
        evaluated = evaluated + excluded.evaluated,
        passed = passed + excluded.passed;
    INSERT INTO report_endings
    SELECT NEW.org_id, date(NEW.created_ms / 1000.0, 'unixepoch'), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.ended_reason, ''), 1, d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, NEW.ended_ms - NEW.started_ms),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, day, assistant_id, ended_reason) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms;
END;

CREATE TRIGGER report_rollup_change AFTER UPDATE ON calls
WHEN OLD.org_id IS NOT NEW.org_id
     OR OLD.created_ms IS NOT NEW.created_ms
     OR OLD.assistant_id IS NOT NEW.assistant_id
     OR OLD.ended_reason IS NOT NEW.ended_reason
     OR OLD.duration_seconds IS NOT NEW.duration_seconds
     OR OLD.started_ms IS NOT NEW.started_ms
     OR OLD.ended_ms IS NOT NEW.ended_ms
     OR OLD.success IS NOT NEW.success
BEGIN
    UPDATE report_hours SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms,
        evaluated = evaluated - (OLD.success IS NOT NULL),
        passed = passed - COALESCE(OLD.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, OLD.ended_ms - OLD.started_ms),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND hour = strftime('%Y-%m-%dT%H', OLD.created_ms / 1000.0, 'unixepoch');
    DELETE FROM report_hours
    WHERE org_id = OLD.org_id AND hour = strftime('%Y-%m-%dT%H', OLD.created_ms / 1000.0, 'unixepoch') AND calls = 0;
    UPDATE report_endings SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, OLD.ended_ms - OLD.started_ms),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '');
    DELETE FROM report_endings
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '') AND calls = 0;
    INSERT INTO report_hours
    SELECT NEW.org_id, strftime('%Y-%m-%dT%H', NEW.created_ms / 1000.0, 'unixepoch'), 1, d.ms, NEW.success IS NOT NULL,
           COALESCE(NEW.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, NEW.ended_ms - NEW.started_ms),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, hour) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms,
        evaluated = evaluated + excluded.evaluated,
        passed = passed + excluded.passed;
    INSERT INTO report_endings
    SELECT NEW.org_id, date(NEW.created_ms / 1000.0, 'unixepoch'), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.ended_reason, ''), 1, d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, NEW.ended_ms - NEW.started_ms),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, day, assistant_id, ended_reason) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms;
END;

CREATE TRIGGER report_rollup_remove AFTER DELETE ON calls BEGIN
    UPDATE report_hours SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms,
        evaluated = evaluated - (OLD.success IS NOT NULL),
        passed = passed - COALESCE(OLD.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, OLD.ended_ms - OLD.started_ms),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND hour = strftime('%Y-%m-%dT%H', OLD.created_ms / 1000.0, 'unixepoch');
    DELETE FROM report_hours
    WHERE org_id = OLD.org_id AND hour = strftime('%Y-%m-%dT%H', OLD.created_ms / 1000.0, 'unixepoch') AND calls = 0;
    UPDATE report_endings SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, OLD.ended_ms - OLD.started_ms),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '');
    DELETE FROM report_endings
    WHERE org_id = OLD.org_id AND day = date(OLD.created_ms / 1000.0, 'unixepoch')
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '') AND calls = 0;
END;
