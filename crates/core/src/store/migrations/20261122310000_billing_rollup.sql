-- Billing rollup: calls summed per org, UTC day, assistant and call type, kept exact by triggers
-- on `calls`. Invoices and charts read this table instead of scanning calls, so a chart over a
-- million cached calls reads a few thousand rows. Each call's duration is rounded up per call
-- for every billing increment (6, 30, 60 s) before it is added, so any plan's per-call rounding
-- can be billed from the sums exactly.
--
-- A call's duration, in milliseconds: `duration_seconds` (endedAt - startedAt, stored by the
-- sync), else computed from the timestamps, else 0 (billing::usage::DURATION_MS_SQL is the same
-- expression). No assistant or no type is stored as ''.

CREATE TABLE calls_daily (
    org_id           TEXT NOT NULL,
    day              TEXT NOT NULL,
    assistant_id     TEXT NOT NULL,
    type             TEXT NOT NULL,
    calls            INTEGER NOT NULL,
    duration_ms      INTEGER NOT NULL,
    billed_ms_6      INTEGER NOT NULL,
    billed_ms_30     INTEGER NOT NULL,
    billed_ms_60     INTEGER NOT NULL,
    cost_micros      INTEGER NOT NULL,
    transport_micros INTEGER NOT NULL,
    stt_micros       INTEGER NOT NULL,
    llm_micros       INTEGER NOT NULL,
    tts_micros       INTEGER NOT NULL,
    vapi_micros      INTEGER NOT NULL,
    chat_micros      INTEGER NOT NULL,
    PRIMARY KEY (org_id, day, assistant_id, type)
) STRICT, WITHOUT ROWID;

-- One call's contribution, as a one-row table `d` (the `WHERE true` lets SQLite parse the
-- upsert after a SELECT).
CREATE TRIGGER calls_daily_add AFTER INSERT ON calls BEGIN
    INSERT INTO calls_daily
    SELECT NEW.org_id, substr(NEW.created_at, 1, 10), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.type, ''), 1, d.ms,
           (d.ms + 5999) / 6000 * 6000, (d.ms + 29999) / 30000 * 30000,
           (d.ms + 59999) / 60000 * 60000,
           COALESCE(NEW.cost_micros, 0), COALESCE(NEW.transport_micros, 0),
           COALESCE(NEW.stt_micros, 0), COALESCE(NEW.llm_micros, 0),
           COALESCE(NEW.tts_micros, 0), COALESCE(NEW.vapi_micros, 0),
           COALESCE(NEW.chat_micros, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(NEW.ended_at) - julianday(NEW.started_at))
                                * 86400000.0) AS INTEGER)),
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
              MAX(0, CAST(ROUND((julianday(OLD.ended_at) - julianday(OLD.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '');
    DELETE FROM calls_daily
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '')
      AND calls = 0;
END;

-- An update (the sync's upsert when a cost settles) is a removal of the old row and an addition
-- of the new one: the two triggers above, written out once more for the UPDATE event.
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
              MAX(0, CAST(ROUND((julianday(OLD.ended_at) - julianday(OLD.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '');
    DELETE FROM calls_daily
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '') AND type = COALESCE(OLD.type, '')
      AND calls = 0;
    INSERT INTO calls_daily
    SELECT NEW.org_id, substr(NEW.created_at, 1, 10), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.type, ''), 1, d.ms,
           (d.ms + 5999) / 6000 * 6000, (d.ms + 29999) / 30000 * 30000,
           (d.ms + 59999) / 60000 * 60000,
           COALESCE(NEW.cost_micros, 0), COALESCE(NEW.transport_micros, 0),
           COALESCE(NEW.stt_micros, 0), COALESCE(NEW.llm_micros, 0),
           COALESCE(NEW.tts_micros, 0), COALESCE(NEW.vapi_micros, 0),
           COALESCE(NEW.chat_micros, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(NEW.ended_at) - julianday(NEW.started_at))
                                * 86400000.0) AS INTEGER)),
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

-- Calls cached before this migration.
INSERT INTO calls_daily
SELECT org_id, substr(created_at, 1, 10), COALESCE(assistant_id, ''), COALESCE(type, ''),
       COUNT(*), SUM(ms), SUM((ms + 5999) / 6000 * 6000), SUM((ms + 29999) / 30000 * 30000),
       SUM((ms + 59999) / 60000 * 60000),
       SUM(COALESCE(cost_micros, 0)), SUM(COALESCE(transport_micros, 0)),
       SUM(COALESCE(stt_micros, 0)), SUM(COALESCE(llm_micros, 0)), SUM(COALESCE(tts_micros, 0)),
       SUM(COALESCE(vapi_micros, 0)), SUM(COALESCE(chat_micros, 0))
FROM (SELECT *, COALESCE(
          MAX(0, CAST(ROUND(duration_seconds * 1000.0) AS INTEGER)),
          MAX(0, CAST(ROUND((julianday(ended_at) - julianday(started_at)) * 86400000.0)
                      AS INTEGER)),
          0) AS ms
      FROM calls)
GROUP BY 1, 2, 3, 4;

-- The audit still reads calls; it needs fewer columns than the first version of this index.
DROP INDEX calls_billing;
CREATE INDEX calls_billing ON calls (
    org_id, created_at, status, updated_at, ended_at, started_at, duration_seconds, minutes,
    cost_micros
);
