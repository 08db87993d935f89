-- Client report rollup (issue 12): what the monthly client report counts, kept exact by
-- triggers on `calls` in the writing transaction, like `calls_daily`. Without it the report
-- looked up each of the month's rows (a random page read per call: 0.9 s for 16k calls over a
-- 1M-call cache); with it the month is about a thousand small rows read in key order. Only the
-- notable calls (longest, latest failed) still read `calls`, a handful of rows.
--
-- Two grains keep it small (a few bytes a call): per org and UTC hour (days, hours of the day,
-- totals, the success rate), and per org, UTC day, assistant and `endedReason` (outcomes and
-- per-assistant figures; the report groups reasons into outcomes in Rust, `reports::Outcome`).
-- A call's duration is the `calls_daily` expression (billing::usage::DURATION_MS_SQL). No
-- assistant or no reason is stored as ''.

CREATE TABLE report_hours (
    org_id      TEXT NOT NULL,
    -- `YYYY-MM-DDTHH` of `created_at`.
    hour        TEXT NOT NULL,
    calls       INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    -- Calls with a pass/fail success verdict, and those that passed (`calls.success`).
    evaluated   INTEGER NOT NULL,
    passed      INTEGER NOT NULL,
    PRIMARY KEY (org_id, hour)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_endings (
    org_id       TEXT NOT NULL,
    day          TEXT NOT NULL,
    assistant_id TEXT NOT NULL,
    ended_reason TEXT NOT NULL,
    calls        INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    PRIMARY KEY (org_id, day, assistant_id, ended_reason)
) STRICT, WITHOUT ROWID;

-- One call's contribution, as a one-row table `d` (the `WHERE true` lets SQLite parse the
-- upsert after a SELECT).
CREATE TRIGGER report_rollup_add AFTER INSERT ON calls BEGIN
    INSERT INTO report_hours
    SELECT NEW.org_id, substr(NEW.created_at, 1, 13), 1, d.ms, NEW.success IS NOT NULL,
           COALESCE(NEW.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(NEW.ended_at) - julianday(NEW.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, hour) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms,
        evaluated = evaluated + excluded.evaluated,
        passed = passed + excluded.passed;
    INSERT INTO report_endings
    SELECT NEW.org_id, substr(NEW.created_at, 1, 10), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.ended_reason, ''), 1, d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(NEW.ended_at) - julianday(NEW.started_at))
                                * 86400000.0) AS INTEGER)),
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
              MAX(0, CAST(ROUND((julianday(OLD.ended_at) - julianday(OLD.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND hour = substr(OLD.created_at, 1, 13);
    DELETE FROM report_hours
    WHERE org_id = OLD.org_id AND hour = substr(OLD.created_at, 1, 13) AND calls = 0;
    UPDATE report_endings SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(OLD.ended_at) - julianday(OLD.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '');
    DELETE FROM report_endings
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '') AND calls = 0;
END;

-- An update is a removal of the old row and an addition of the new one; most re-synced calls
-- change none of the columns counted here (a cost settling), and skip it.
CREATE TRIGGER report_rollup_change AFTER UPDATE ON calls
WHEN OLD.org_id IS NOT NEW.org_id
     OR OLD.created_at IS NOT NEW.created_at
     OR OLD.assistant_id IS NOT NEW.assistant_id
     OR OLD.ended_reason IS NOT NEW.ended_reason
     OR OLD.duration_seconds IS NOT NEW.duration_seconds
     OR OLD.started_at IS NOT NEW.started_at
     OR OLD.ended_at IS NOT NEW.ended_at
     OR OLD.success IS NOT NEW.success
BEGIN
    UPDATE report_hours SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms,
        evaluated = evaluated - (OLD.success IS NOT NULL),
        passed = passed - COALESCE(OLD.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(OLD.ended_at) - julianday(OLD.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND hour = substr(OLD.created_at, 1, 13);
    DELETE FROM report_hours
    WHERE org_id = OLD.org_id AND hour = substr(OLD.created_at, 1, 13) AND calls = 0;
    UPDATE report_endings SET
        calls = calls - 1,
        duration_ms = duration_ms - d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(OLD.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(OLD.ended_at) - julianday(OLD.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '');
    DELETE FROM report_endings
    WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10)
      AND assistant_id = COALESCE(OLD.assistant_id, '')
      AND ended_reason = COALESCE(OLD.ended_reason, '') AND calls = 0;
    INSERT INTO report_hours
    SELECT NEW.org_id, substr(NEW.created_at, 1, 13), 1, d.ms, NEW.success IS NOT NULL,
           COALESCE(NEW.success, 0)
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(NEW.ended_at) - julianday(NEW.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, hour) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms,
        evaluated = evaluated + excluded.evaluated,
        passed = passed + excluded.passed;
    INSERT INTO report_endings
    SELECT NEW.org_id, substr(NEW.created_at, 1, 10), COALESCE(NEW.assistant_id, ''),
           COALESCE(NEW.ended_reason, ''), 1, d.ms
    FROM (SELECT COALESCE(
              MAX(0, CAST(ROUND(NEW.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(NEW.ended_at) - julianday(NEW.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms) AS d
    WHERE true
    ON CONFLICT (org_id, day, assistant_id, ended_reason) DO UPDATE SET
        calls = calls + excluded.calls,
        duration_ms = duration_ms + excluded.duration_ms;
END;

-- Calls cached before this migration.
INSERT INTO report_hours
SELECT org_id, substr(created_at, 1, 13), COUNT(*), SUM(ms), SUM(success IS NOT NULL),
       SUM(COALESCE(success, 0))
FROM (SELECT org_id, created_at, success, COALESCE(
              MAX(0, CAST(ROUND(calls.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(calls.ended_at) - julianday(calls.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms
      FROM calls)
GROUP BY 1, 2;

INSERT INTO report_endings
SELECT org_id, substr(created_at, 1, 10), COALESCE(assistant_id, ''), COALESCE(ended_reason, ''),
       COUNT(*), SUM(ms)
FROM (SELECT org_id, created_at, assistant_id, ended_reason, COALESCE(
              MAX(0, CAST(ROUND(calls.duration_seconds * 1000.0) AS INTEGER)),
              MAX(0, CAST(ROUND((julianday(calls.ended_at) - julianday(calls.started_at))
                                * 86400000.0) AS INTEGER)),
              0) AS ms
      FROM calls)
GROUP BY 1, 2, 3, 4;
